// Command studio serves AI Infra Studio: the JSON API, the run streams and
// the web app, over a synthetic platform generated from a seed.
//
// Every flag has an environment fallback; a flag given on the command line
// wins over the environment:
//
//	-addr     STUDIO_ADDR          listen address (default 127.0.0.1:8080)
//	-seed     STUDIO_SEED          dataset seed (default 42)
//	-scale    STUDIO_SCALE         dataset scale, >= 1 (default 1)
//	-web      STUDIO_WEB           directory of the web assets (default "web")
//	-tick     WS_TICK              stream cadence, e.g. 1s or 20ms (default 1s)
//	-chaos    WS_CHAOS_DISCONNECT  drop WebSockets at random (1/true)
//	-origins  STUDIO_ORIGINS       extra allowed WebSocket origins, comma-separated
//	-log      STUDIO_LOG           log format: text or json (default text)
//	-log-level STUDIO_LOG_LEVEL    debug, info, warn or error (default info)
//	-log-cache STUDIO_LOG_CACHE    bound of the cache of encoded log lines,
//	                               such as 64MiB or 1GiB; 0 disables it (default 192MiB)
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aiinfra/studio/app/ui"
	"github.com/aiinfra/studio/server"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/synth"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// shutdownTimeout bounds the graceful shutdown after SIGINT or SIGTERM.
const shutdownTimeout = 5 * time.Second

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "studio:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "studio:", err)
		os.Exit(1)
	}
}

// config is the parsed command line and environment.
type config struct {
	addr      string
	seed      uint64
	scale     int
	web       string
	tick      time.Duration
	chaos     bool
	origins   []string
	logFormat string
	logLevel  slog.Level
	// logCache is server.Options.LogCacheBytes: 0 means the default
	// bound, a negative value disables the cache.
	logCache int64
	// warmMetrics computes the longest runs' metric series in the
	// background once serving (store.WarmMetrics). parseConfig always sets
	// it; tests that build a config leave it off unless they test it, so
	// its CPU time does not skew their timings under -race.
	warmMetrics bool
	// readHeaderTimeout and readTimeout bound how long a client may take
	// to send a request's headers and the whole request; zero means
	// defaultReadHeaderTimeout and defaultReadTimeout. No flag sets them:
	// they exist so tests can play slow clients quickly.
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	// shutdownTimeout bounds the graceful shutdown; zero means
	// shutdownTimeout (the constant). No flag sets it either.
	shutdownTimeout time.Duration
}

// Defaults of config's request timeouts, against slow (slowloris) clients.
const (
	defaultReadHeaderTimeout = 5 * time.Second
	defaultReadTimeout       = 15 * time.Second
)

// parseConfig reads flags from args with defaults taken from getenv.
// Usage and flag errors go to out.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, error) {
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("studio", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", env("STUDIO_ADDR", "127.0.0.1:8080"), "listen `address` (env STUDIO_ADDR)")
	seed := fs.String("seed", env("STUDIO_SEED", "42"), "dataset `seed` (env STUDIO_SEED)")
	scale := fs.String("scale", env("STUDIO_SCALE", "1"), "dataset `scale`, at least 1 (env STUDIO_SCALE)")
	web := fs.String("web", env("STUDIO_WEB", "web"), "`dir`ectory of the web assets (env STUDIO_WEB)")
	tick := fs.String("tick", env("WS_TICK", "1s"), "stream cadence, e.g. 1s or 20ms (env WS_TICK)")
	chaos := fs.String("chaos", env("WS_CHAOS_DISCONNECT", "0"), "drop WebSockets at random: 1 or 0 (env WS_CHAOS_DISCONNECT)")
	origins := fs.String("origins", env("STUDIO_ORIGINS", ""), "extra allowed WebSocket origin `patterns`, comma-separated (env STUDIO_ORIGINS)")
	logFormat := fs.String("log", env("STUDIO_LOG", "text"), "log `format`: text or json (env STUDIO_LOG)")
	logLevel := fs.String("log-level", env("STUDIO_LOG_LEVEL", "info"), "log `level`: debug, info, warn or error (env STUDIO_LOG_LEVEL)")
	logCache := fs.String("log-cache", env("STUDIO_LOG_CACHE", formatSize(server.DefaultLogCacheBytes)), "`size` of the cache of encoded log lines, such as 64MiB or 1GiB; 0 disables it (env STUDIO_LOG_CACHE)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := config{addr: *addr, web: *web, logFormat: *logFormat, warmMetrics: true}
	var err error
	if cfg.seed, err = strconv.ParseUint(*seed, 10, 64); err != nil {
		return config{}, fmt.Errorf("invalid seed %q: want a non-negative integer", *seed)
	}
	if cfg.scale, err = strconv.Atoi(*scale); err != nil || cfg.scale < 1 || cfg.scale > 1000 {
		return config{}, fmt.Errorf("invalid scale %q: want an integer between 1 and 1000", *scale)
	}
	if cfg.tick, err = time.ParseDuration(*tick); err != nil || cfg.tick < time.Millisecond || cfg.tick > time.Minute {
		return config{}, fmt.Errorf("invalid tick %q: want a duration between 1ms and 1m, such as 1s", *tick)
	}
	if cfg.chaos, err = strconv.ParseBool(*chaos); err != nil {
		return config{}, fmt.Errorf("invalid chaos setting %q: want 1 or 0", *chaos)
	}
	for o := range strings.SplitSeq(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.origins = append(cfg.origins, o)
		}
	}
	if cfg.logFormat != "text" && cfg.logFormat != "json" {
		return config{}, fmt.Errorf("invalid log format %q: want text or json", cfg.logFormat)
	}
	if err := cfg.logLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return config{}, fmt.Errorf("invalid log level %q: want debug, info, warn or error", *logLevel)
	}
	if cfg.logCache, err = parseSize(*logCache); err != nil {
		return config{}, fmt.Errorf("invalid log cache size %q: want bytes with an optional KiB, MiB or GiB suffix, such as 256MiB, or 0 to disable it", *logCache)
	}
	if cfg.logCache == 0 {
		cfg.logCache = -1
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return config{}, fmt.Errorf("invalid address %q: want host:port", cfg.addr)
	}
	return cfg, nil
}

// sizeUnits are the suffixes parseSize accepts, largest first.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// parseSize parses a byte count with an optional binary unit: "4096",
// "512KiB", "256MiB", "1GiB".
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(n), u.bytes
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * mult, nil
}

// formatSize formats n bytes for parseSize, in the largest unit that
// divides it.
func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n != 0 && n%u.bytes == 0 {
			return strconv.FormatInt(n/u.bytes, 10) + u.suffix
		}
	}
	return "0"
}

// newLogger returns the logger cfg asks for, writing to out.
func newLogger(cfg config, out io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(out, opts))
	}
	return slog.New(slog.NewTextHandler(out, opts))
}

// isLoopback reports whether addr (host:port) listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// run serves until ctx is done, then shuts down gracefully within
// shutdownTimeout. ready, when not nil, is called with the bound address.
func run(ctx context.Context, cfg config, logOut io.Writer, ready func(net.Addr)) error {
	log := newLogger(cfg, logOut)
	if !isLoopback(cfg.addr) {
		log.Warn("LISTENING BEYOND LOOPBACK: anyone who can reach this address can read the data and act on deployments; there is no authentication", "addr", cfg.addr)
	}
	start := time.Now()
	st := store.New(synth.New(cfg.seed, cfg.scale), store.Options{})
	log.Info("dataset ready", "seed", cfg.seed, "scale", cfg.scale, "took", time.Since(start).Round(time.Millisecond))

	srv := server.New(st, server.Options{
		Logger:         log,
		Version:        version,
		TickInterval:   cfg.tick,
		Chaos:          cfg.chaos,
		AllowedOrigins: cfg.origins,
		WebHandler:     webHandler(cfg, log),
		LogCacheBytes:  cfg.logCache,
	})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: cmp.Or(cfg.readHeaderTimeout, defaultReadHeaderTimeout),
		ReadTimeout:       cmp.Or(cfg.readTimeout, defaultReadTimeout),
		// WebSockets are hijacked, so WriteTimeout never cuts a stream; it
		// only has to fit the slowest export.
		WriteTimeout:   30 * time.Second,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHub()
	hubDone := make(chan error, 1)
	go func() { hubDone <- srv.Run(hubCtx) }()
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	log.Info("serving", "url", "http://"+ln.Addr().String(), "version", version, "tick", cfg.tick, "chaos", cfg.chaos)
	if ready != nil {
		ready(ln.Addr())
	}
	// The longest runs' metric series are computed in the background, so
	// their first metrics query costs what a repeated one does.
	if cfg.warmMetrics {
		warmCtx, stopWarm := context.WithCancel(ctx)
		warmed := make(chan struct{})
		go func() {
			defer close(warmed)
			t := time.Now()
			if err := st.WarmMetrics(warmCtx); err == nil {
				log.Info("metric series warmed", "took", time.Since(t).Round(time.Millisecond))
			}
		}()
		defer func() { stopWarm(); <-warmed }()
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		srv.Close()
		return err
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cmp.Or(cfg.shutdownTimeout, shutdownTimeout))
	defer cancel()
	// Close the streams (StatusGoingAway) while net/http drains requests.
	wsErr := make(chan error, 1)
	go func() { wsErr <- srv.Shutdown(sctx) }()
	httpErr := httpSrv.Shutdown(sctx)
	err = <-wsErr
	stopHub()
	<-hubDone
	if httpErr != nil {
		httpSrv.Close()
		return fmt.Errorf("shutdown: %w", httpErr)
	}
	if err != nil {
		return fmt.Errorf("closing streams: %w", err)
	}
	log.Info("stopped")
	return nil
}

// webHandler returns the handler for everything outside /api and /ws: the
// go-app Progressive Web App served from cfg.web. When that directory holds
// no built app (make build was not run), it logs why and serves a minimal
// page instead, so the API stays usable.
func webHandler(cfg config, log *slog.Logger) http.Handler {
	ui.Register()
	v := version
	if v == "dev" {
		v = "" // the web handler derives a version from the built files
	}
	h, err := server.NewWebHandler(server.WebOptions{Dir: cfg.web, Version: v, KnownPage: ui.KnownPage})
	if err != nil {
		log.Warn("web app unavailable, serving a minimal page at /", "err", err)
		return fallbackHandler(fallbackInfo{Version: version, Seed: cfg.seed, Scale: cfg.scale})
	}
	return h
}
