package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/ratelimit"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/respcache"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/embedded"
)

// maxCachedRequest is the largest request whose answer the response cache
// keeps: real clients' queries are a few kilobytes.
const maxCachedRequest = 64 << 10

// app is the running platform: its store, its metrics, and whether it is
// ready to serve.
type app struct {
	cfg      config
	logger   *slog.Logger
	metrics  *metrics
	store    *store.Store
	embedded *embedded.Server // nil when MONGODB_URI names a MongoDB
	replica  *replica.Replica // nil when FINDER_READ_FROM=store
	cache    *respcache.Cache // nil when FINDER_RESPONSE_CACHE_MB=0
	auth     *authenticator
	limiter  *ratelimit.Limiter
	// operations bounds the operation names used as metric labels.
	operations operationLabels
	ready      atomic.Bool
	stop     context.CancelFunc // ends the background loops
	loops    sync.WaitGroup
}

// openApp starts the embedded store unless MONGODB_URI is set, connects,
// ensures the indexes, and seeds an empty database with the catalog.
func openApp(ctx context.Context, cfg config, logger *slog.Logger) (_ *app, err error) {
	a := &app{cfg: cfg, logger: logger, metrics: newMetrics(), limiter: ratelimit.New(time.Now)}
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
	if cfg.ReadFrom == "memory" {
		start := time.Now()
		if a.replica, err = replica.Open(ctx, a.store, logger); err != nil {
			return nil, err
		}
		roles, tools, resources := a.replica.Current().Size()
		logger.Info("catalog loaded into memory", "roles", roles, "tools", tools, "learning_resources", resources,
			"took", time.Since(start).Round(time.Millisecond))
	}
	if cfg.ResponseCacheMB > 0 {
		a.cache = respcache.New(int64(cfg.ResponseCacheMB)<<20, maxCachedRequest)
	}
	// Edits an instance left half done are undone before this one serves.
	a.recoverPending(ctx)
	a.auth = newAuthenticator(a.store, cfg.AdminToken, logger)
	a.startLoops()
	a.ready.Store(true)
	return a, nil
}

// startLoops runs the background work: undoing edits an instance left
// half done, and writing API key usage counts.
func (a *app) startLoops() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	a.every(ctx, time.Minute, a.recoverPending)
	a.every(ctx, 10*time.Second, a.auth.flushUsage)
	a.every(ctx, 10*time.Minute, a.pruneFeed)
	if a.replica != nil {
		a.loops.Add(1)
		go func() {
			defer a.loops.Done()
			a.replica.Follow(ctx, a.cfg.SyncInterval)
		}()
	}
}

// pruneFeed drops change feed entries every instance has long read.
func (a *app) pruneFeed(ctx context.Context) {
	if err := a.store.PruneFeed(ctx, 10_000, time.Hour); err != nil && ctx.Err() == nil {
		a.logger.Warn("prune the change feed", "error", err)
	}
}

// reader is the view of the catalog a new request reads: the replica's
// current snapshot, or the store itself.
func (a *app) reader() model.CatalogReader {
	if a.replica != nil {
		return a.replica.Current()
	}
	return a.store
}

// refresh returns a view of the catalog that includes every committed
// write, for the rest of a request that wrote.
func (a *app) refresh(ctx context.Context) (model.CatalogReader, error) {
	if a.replica == nil {
		return a.store, nil
	}
	err := a.replica.CatchUp(ctx)
	return a.replica.Current(), err
}

// every runs f every period until ctx ends.
func (a *app) every(ctx context.Context, period time.Duration, f func(context.Context)) {
	a.loops.Add(1)
	go func() {
		defer a.loops.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				f(ctx)
			}
		}
	}()
}

// recoverPending undoes the edits left pending for over a minute: an
// instance died midway, or could not undo when the store failed.
func (a *app) recoverPending(ctx context.Context) {
	n, err := a.store.RecoverPending(ctx, time.Minute)
	switch {
	case err != nil && ctx.Err() == nil:
		a.logger.Warn("recover unfinished edits", "error", err)
	case n > 0:
		a.logger.Info("undid unfinished edits", "count", n)
	}
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
	if a.stop != nil {
		a.stop()
		a.loops.Wait()
		a.auth.flushUsage(ctx)
	}
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
