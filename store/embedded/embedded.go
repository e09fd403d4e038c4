// Package embedded runs FerretDB, a MongoDB-wire-compatible server, inside
// this process with its SQLite backend, so that the Finder Platform needs
// nothing installed to run. The store package talks to it exactly as it
// talks to MongoDB.
package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running embedded FerretDB.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs FerretDB with its files under dir, listening on addr
// ("127.0.0.1:0" picks a free loopback port). Its own errors go to logger.
func Start(dir, addr string, logger *slog.Logger) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded store: data directory %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("embedded store: create data directory: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: addr},
		Handler:  "sqlite",
		// A directory, never ?mode=memory: FerretDB deadlocks on the first
		// update of an in-memory database (docs/ARCHITECTURE.md, "The
		// embedded store").
		SQLiteURL: "file:" + abs + "/",
		Logger:    quiet(logger),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{uri: f.MongoDBURI(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	return s, nil
}

// URI is the mongodb:// address clients connect to.
func (s *Server) URI() string { return s.uri }

// Stop shuts the server down and waits until its files are closed.
// Disconnect clients first: FerretDB waits for open connections to idle out.
func (s *Server) Stop() {
	s.cancel()
	<-s.done
}

// quiet keeps FerretDB's logs to errors, under its own name: it logs every
// connection, and every client that closes one, as info or a warning.
func quiet(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		logger = slog.Default()
	}
	return slog.New(levelFilter{logger.Handler(), slog.LevelError}).With("component", "embedded-store")
}

// levelFilter drops records below min.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (h levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{h.Handler.WithAttrs(a), h.min}
}

func (h levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{h.Handler.WithGroup(n), h.min}
}
