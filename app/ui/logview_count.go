package ui

import (
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// levelRecount is how often the level count of a live log is refreshed.
const levelRecount = 2 * time.Second

// countLevels shows how many lines of the whole log the level filter
// keeps ("12,345 lines"): it starts a level-only search (no q) unless the
// count of these levels is already shown or under way. Without a level
// filter it drops the count.
func (v *LogViewer) countLevels(ctx app.Context) {
	key := v.levelKey()
	if key == "" {
		v.levelCount = nil
		return
	}
	if v.levelCount != nil && v.levelCount.levels == key {
		return
	}
	c := &levelCount{levels: key}
	v.levelCount = c
	v.fetchLevelCount(ctx, c)
}

// fetchLevelCount asks the server for c's count (a level-only search)
// off the UI goroutine; the result re-renders the toolbar only when the
// count changed.
func (v *LogViewer) fetchLevelCount(ctx app.Context, c *levelCount) {
	if v.Data == nil || v.Client == nil || app.IsServer {
		return
	}
	c.busy = true
	fetchJSON(ctx, v.Client, v.searchURL("", 0, 1), func(ctx app.Context, res api.LogSearch, err error) {
		if v.levelCount != c {
			ctx.PreventUpdate()
			return
		}
		c.busy = false
		before, had := c.count, c.done
		c.err = err
		if err == nil {
			c.count, c.done = res.Count, true
		}
		v.paint(false) // the status line names the count
		if had && c.done && c.count == before && err == nil {
			ctx.PreventUpdate()
		}
	})
}

// recountLevels refreshes the level count of a live log, at most every
// levelRecount (the server caches counts per log length, so a log that
// did not grow costs a cache hit).
func (v *LogViewer) recountLevels(ctx app.Context) {
	c := v.levelCount
	if c == nil || c.queued || !v.running() {
		return
	}
	c.queued = true
	ctx.After(levelRecount, func(ctx app.Context) {
		ctx.PreventUpdate()
		c.queued = false
		if v.levelCount != c || c.busy {
			return
		}
		v.fetchLevelCount(ctx, c)
	})
}
