package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/embedded"
)

// app is the running platform: its store, its metrics, and whether it is
// ready to serve.
type app struct {
	cfg      config
	logger   *slog.Logger
	metrics  *metrics
	store    *store.Store
	embedded *embedded.Server // nil when MONGODB_URI names a MongoDB
	ready    atomic.Bool
}

// openApp starts the embedded store unless MONGODB_URI is set, connects,
// ensures the indexes, and seeds an empty database with the catalog.
func openApp(ctx context.Context, cfg config, logger *slog.Logger) (_ *app, err error) {
	a := &app{cfg: cfg, logger: logger, metrics: newMetrics()}
	defer func() {
		if err != nil {
			a.close(context.Background())
		}
	}()
	// The catalog is checked at every start, seeded or not: a broken link
	// between its entries must stop the server, not surface later.
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	uri := cfg.MongoURI
	if uri == "" {
		a.embedded, err = embedded.Start(cfg.DataDir, "127.0.0.1:0", logger)
		if err != nil {
			return nil, err
		}
		uri = a.embedded.URI()
		logger.Info("embedded store started", "data_dir", cfg.DataDir)
	}
	a.store, err = store.Open(ctx, store.Options{URI: uri, Database: cfg.MongoDatabase, OnCommand: a.metrics.observeCommand})
	if err != nil {
		return nil, err
	}
	if err := a.store.EnsureIndexes(ctx); err != nil {
		return nil, err
	}
	if cfg.Seed {
		if err := a.seed(ctx, cat); err != nil {
			return nil, err
		}
	}
	a.ready.Store(true)
	return a, nil
}

func (a *app) seed(ctx context.Context, cat *catalog.Catalog) error {
	start := time.Now()
	seeded, err := a.store.Seed(ctx, store.SeedData{Roles: cat.Roles, Tools: cat.Tools, Resources: cat.Resources, Relations: cat.Relations})
	if err != nil {
		return fmt.Errorf("seed the catalog: %w", err)
	}
	if seeded {
		a.logger.Info("catalog seeded", "roles", len(cat.Roles), "tools", len(cat.Tools),
			"learning_resources", len(cat.Resources), "relations", len(cat.Relations), "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// close disconnects from the store, then stops the embedded one: FerretDB
// waits for open connections before it closes its files.
func (a *app) close(ctx context.Context) {
	a.ready.Store(false)
	var errs []error
	if a.store != nil {
		errs = append(errs, a.store.Close(ctx))
	}
	if a.embedded != nil {
		a.embedded.Stop()
	}
	if err := errors.Join(errs...); err != nil {
		a.logger.Warn("closing the store", "error", err)
	}
}
