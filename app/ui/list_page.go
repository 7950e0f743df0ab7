package ui

import (
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/api"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// listPage is what the pages that list one kind of item (experiments, the
// registry's models, traces) share: one API list loaded into a data table,
// with a skeleton while it loads and an error state with retry. A page
// keeps one as a field, describes itself with a listSpec and calls nav,
// close and render from OnNav, OnDismount and Render.
type listPage[T any] struct {
	items query.Observer[api.Page[T]]
}

// listSpec describes a list page.
type listSpec[T any] struct {
	page  string // data-page of the root
	title string // heading and document title
	key   string // API list to load
	// about is the subtitle until the list loads; summary the one after.
	about   string
	summary func(items []T) string
	actions []app.UI // buttons beside the heading
	// what names the list in the error state ("experiments", "the
	// registry"); skeletonRows is the placeholder's row count.
	what         string
	skeletonRows int
	// table shows the loaded items; render sets its Rows.
	table *table.Table[T]
}

// nav sets the document title and, in the browser, loads the list.
func (l *listPage[T]) nav(ctx app.Context, client *query.Client, s listSpec[T]) {
	setTitle(ctx, s.title)
	if app.IsServer {
		return
	}
	l.items.Observe(ctx, client, s.key)
}

// close ends the subscription.
func (l *listPage[T]) close() { l.items.Close() }

func (l *listPage[T]) retry(ctx app.Context, e app.Event) { l.items.Refetch() }

// render draws the page: the heading with its subtitle and actions, then
// the table, an error state or a skeleton.
func (l *listPage[T]) render(s listSpec[T]) app.UI {
	r := l.items.Result
	sub := s.about
	if r.HasData {
		sub = s.summary(r.Data.Items)
	}
	return pageRoot(s.page).Body(
		pageHead(nil, app.Text(s.title), app.Text(sub), s.actions...),
		l.body(s),
	)
}

func (l *listPage[T]) body(s listSpec[T]) app.UI {
	r := l.items.Result
	switch {
	case r.HasData:
		s.table.Rows = r.Data.Items
		return s.table
	case r.Failed():
		return errorState(s.what, r.Err, l.retry)
	}
	return skeleton("rows", s.skeletonRows)
}
