// Command server runs the Finder Platform: the GraphQL API, GraphiQL, the
// Finder web client and partner role cards, over MongoDB or, by default, an
// embedded MongoDB-compatible store. Every setting is an environment variable
// (see config.go and docs/API.md, "Settings").
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/finder-platform/finder/gcpace"
	"github.com/finder-platform/finder/linebuf"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "finder:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down gracefully: requests in flight
// finish (up to FINDER_SHUTDOWN_TIMEOUT), then the store closes. With the
// argument "healthcheck" it instead asks a running server whether it is
// ready, for container health checks in images without curl.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if len(args) > 1 {
		if args[1] != "healthcheck" {
			return fmt.Errorf("unknown argument %q: the only one is healthcheck", args[1])
		}
		return healthcheck(ctx, cfg.Addr)
	}
	logger := newLogger(cfg, stdout)
	if getenv("GOGC") == "" {
		go paceGC(ctx)
	}
	lines := linebuf.New(stdout)
	defer lines.Close()
	a, err := newApp(cfg, logger, lines)
	if err != nil {
		return err
	}
	defer a.close(context.Background())

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on FINDER_ADDR=%s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.edge,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String())
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, logger)
	}
	// The server answers at once (/healthz; /readyz says 503 until ready);
	// the store may still be starting.
	startErr := make(chan error, 1)
	go func() { startErr <- a.start(ctx, true) }()

wait:
	for {
		select {
		case err := <-serveErr:
			return err
		case err := <-startErr:
			if err != nil && ctx.Err() == nil {
				_ = srv.Close()
				return fmt.Errorf("start: %w", err)
			}
			startErr = nil // started: go on watching the listener and the signal
		case <-ctx.Done():
			break wait
		}
	}
	logger.Info("shutting down", "grace", cfg.ShutdownTimeout)
	a.ready.Store(false)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// gcHeadroom is how far the heap may grow between collections, at least.
const gcHeadroom = 64 << 20

// paceGC lets the heap grow by at least gcHeadroom between collections
// (package gcpace says why) until ctx ends. A GOGC in the environment is
// the operator's choice, and run leaves the collector to it.
func paceGC(ctx context.Context) {
	p := gcpace.New(gcHeadroom)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		p.Adjust()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// healthcheck asks the server listening on addr for /readyz.
func healthcheck(ctx context.Context, addr string) error {
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /readyz answered %s", resp.Status)
	}
	return nil
}

// servePprof serves Go's profiler on its own loopback port, apart from the
// public routes, for finding why a target is missed.
func servePprof(addr string, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	logger.Info("profiler listening", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		logger.Warn("profiler stopped", "error", err)
	}
}
