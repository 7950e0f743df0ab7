package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/aiinfra/studio/server"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/synth"
)

// serveConfig is the in-process server that -profile measures instead of
// the binary: the same store, server and http.Server settings as
// cmd/studio, without the web app, and with a CPU (and optionally heap)
// profile covering everything it serves.
type serveConfig struct {
	addr    string
	seed    uint64
	scale   int
	tick    time.Duration
	cpuProf string
	memProf string
}

// serve runs the server until SIGTERM or SIGINT, then writes the profiles.
func serve(cfg serveConfig) error {
	if _, err := loopbackURL("http://" + cfg.addr); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	st := store.New(synth.New(cfg.seed, cfg.scale), store.Options{})
	srv := server.New(st, server.Options{Logger: log, Version: "load-profile", TickInterval: cfg.tick})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	var prof *os.File
	if cfg.cpuProf != "" {
		if prof, err = os.Create(cfg.cpuProf); err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(prof); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	hubDone := make(chan error, 1)
	go func() { hubDone <- srv.Run(ctx) }()
	go httpSrv.Serve(ln)
	<-ctx.Done()
	if prof != nil {
		pprof.StopCPUProfile()
		if err := prof.Close(); err != nil {
			return err
		}
	}
	if cfg.memProf != "" {
		f, err := os.Create(cfg.memProf)
		if err != nil {
			return err
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	httpSrv.Shutdown(sctx)
	if err := <-hubDone; err != nil && err != context.Canceled {
		return fmt.Errorf("streams: %w", err)
	}
	return nil
}
