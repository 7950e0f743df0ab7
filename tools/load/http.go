package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// httpConn is a keep-alive HTTP/1.1 client connection that sends GETs and
// reads responses with a Content-Length, discarding the body. It does far
// less per request than net/http's client, so on a machine shared with the
// server the generator takes less of the CPU it measures.
type httpConn struct {
	addr string
	c    net.Conn
	r    *bufio.Reader
	req  []byte
}

func dialHTTP(addr string) (*httpConn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &httpConn{addr: addr, c: c, r: bufio.NewReaderSize(c, 64<<10)}, nil
}

func (h *httpConn) close() { h.c.Close() }

// get sends GET path and reads the response. It returns the status and
// the body size; the connection stays usable unless err is not nil or
// the server asked to close it (reusable false).
func (h *httpConn) get(path string) (status int, size int64, reusable bool, err error) {
	h.req = append(h.req[:0], "GET "...)
	h.req = append(h.req, path...)
	h.req = append(h.req, " HTTP/1.1\r\nHost: "...)
	h.req = append(h.req, h.addr...)
	h.req = append(h.req, "\r\nUser-Agent: studio-load\r\nAccept: application/json\r\n\r\n"...)
	if _, err := h.c.Write(h.req); err != nil {
		return 0, 0, false, err
	}
	return readResponse(h.r)
}

// readResponse reads one HTTP/1.1 response with a Content-Length from r
// and discards its body.
func readResponse(r *bufio.Reader) (status int, size int64, reusable bool, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, 0, false, err
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, 0, false, fmt.Errorf("malformed status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, 0, false, fmt.Errorf("malformed status line %q", line)
	}
	size, reusable = -1, true
	for {
		line, err = r.ReadSlice('\n')
		if err != nil {
			return status, 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return status, 0, false, fmt.Errorf("malformed header %q", line)
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if size, err = strconv.ParseInt(string(v), 10, 64); err != nil || size < 0 {
				return status, 0, false, fmt.Errorf("malformed Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			return status, 0, false, fmt.Errorf("unsupported Transfer-Encoding %q", v)
		case bytes.EqualFold(k, []byte("Connection")):
			reusable = !bytes.EqualFold(v, []byte("close"))
		}
	}
	if size < 0 {
		return status, 0, false, errors.New("response without Content-Length")
	}
	if _, err := r.Discard(int(size)); err != nil {
		return status, 0, false, err
	}
	return status, size, reusable, nil
}

// endpoint is one HTTP scenario: a name and a function that returns the
// path of the next request.
type endpoint struct {
	Name string
	// Path returns the request path; r is the worker's random source.
	Path func(r *rand.Rand) string
	// Show is the path as the report prints it.
	Show string
}

// httpRun is one measured run of an endpoint.
type httpRun struct {
	Requests  int64   `json:"requests"`
	Errors    int64   `json:"errors"`
	Seconds   float64 `json:"seconds"`
	RPS       float64 `json:"rps"`
	P50MS     float64 `json:"p50_ms"`
	P90MS     float64 `json:"p90_ms"`
	P99MS     float64 `json:"p99_ms"`
	MaxMS     float64 `json:"max_ms"`
	BodyBytes float64 `json:"body_bytes"` // mean response body size
	FirstErr  string  `json:"first_error,omitempty"`
}

// loadConfig bounds one run: conns workers, each with its own connection,
// send requests back to back until dur passes or maxReq requests were
// sent.
type loadConfig struct {
	addr   string
	conns  int
	dur    time.Duration
	maxReq int64
	seed   uint64
}

// runHTTP runs ep once under cfg. A request fails when it gets no
// response, or a status other than 200; the worker then reconnects.
func runHTTP(ctx context.Context, ep endpoint, cfg loadConfig) httpRun {
	var (
		sent     atomic.Int64
		errs     atomic.Int64
		bytesAll atomic.Int64
		mu       sync.Mutex
		lats     []time.Duration
		firstErr string
		wg       sync.WaitGroup
	)
	noteErr := func(err error) {
		errs.Add(1)
		mu.Lock()
		if firstErr == "" {
			firstErr = err.Error()
		}
		mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.dur)
	defer cancel()
	start := time.Now()
	for w := range cfg.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(w)))
			local := make([]time.Duration, 0, 4096)
			var c *httpConn
			defer func() {
				if c != nil {
					c.close()
				}
				mu.Lock()
				lats = append(lats, local...)
				mu.Unlock()
			}()
			for ctx.Err() == nil && sent.Add(1) <= cfg.maxReq {
				if c == nil {
					var err error
					if c, err = dialHTTP(cfg.addr); err != nil {
						noteErr(err)
						time.Sleep(10 * time.Millisecond)
						continue
					}
				}
				path := ep.Path(rng)
				t0 := time.Now()
				status, n, reusable, err := c.get(path)
				d := time.Since(t0)
				if err != nil || status != 200 {
					if err == nil {
						err = fmt.Errorf("GET %s: status %d", path, status)
					}
					noteErr(err)
					c.close()
					c = nil
					continue
				}
				local = append(local, d)
				bytesAll.Add(n)
				if !reusable {
					c.close()
					c = nil
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lats)
	run := httpRun{
		Requests: int64(len(lats)), Errors: errs.Load(), Seconds: elapsed.Seconds(),
		RPS:   float64(len(lats)) / elapsed.Seconds(),
		P50MS: ms(percentile(lats, 0.5)), P90MS: ms(percentile(lats, 0.9)),
		P99MS: ms(percentile(lats, 0.99)), MaxMS: ms(percentile(lats, 1)),
		FirstErr: firstErr,
	}
	if len(lats) > 0 {
		run.BodyBytes = float64(bytesAll.Load()) / float64(len(lats))
	}
	return run
}

// HTTPResult is an endpoint's figures: medians over its runs.
type HTTPResult struct {
	Name      string    `json:"name"`
	Path      string    `json:"path"`
	Conns     int       `json:"conns"`
	RPS       float64   `json:"rps"`
	P50MS     float64   `json:"p50_ms"`
	P90MS     float64   `json:"p90_ms"`
	P99MS     float64   `json:"p99_ms"`
	MaxMS     float64   `json:"max_ms"`
	BodyBytes float64   `json:"body_bytes"`
	Errors    int64     `json:"errors"` // over all runs
	Runs      []httpRun `json:"runs"`
}

// summarize returns the medians of runs.
func summarize(ep endpoint, conns int, runs []httpRun) HTTPResult {
	res := HTTPResult{Name: ep.Name, Path: ep.Show, Conns: conns, Runs: runs}
	pick := func(f func(httpRun) float64) float64 {
		xs := make([]float64, len(runs))
		for i, r := range runs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	res.RPS = pick(func(r httpRun) float64 { return r.RPS })
	res.P50MS = pick(func(r httpRun) float64 { return r.P50MS })
	res.P90MS = pick(func(r httpRun) float64 { return r.P90MS })
	res.P99MS = pick(func(r httpRun) float64 { return r.P99MS })
	res.MaxMS = pick(func(r httpRun) float64 { return r.MaxMS })
	res.BodyBytes = pick(func(r httpRun) float64 { return r.BodyBytes })
	for _, r := range runs {
		res.Errors += r.Errors
	}
	return res
}
