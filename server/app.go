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
	cfg    config
	logger *slog.Logger
	// accessLog writes the line a request (FINDER_ACCESS_LOG): logger, or
	// in a server process the same output through a lineBuffer.
	accessLog *slog.Logger
	metrics   *metrics
	catalog   *catalog.Catalog
	store     *store.Store
	embedded  *embedded.Server // nil when MONGODB_URI names a MongoDB
	// replica is nil when FINDER_READ_FROM=store, or not yet loaded; start
	// sets it while handlers already read it.
	replica atomic.Pointer[replica.Replica]
	cache   *respcache.Cache // nil when FINDER_RESPONSE_CACHE_MB=0
	auth    *authenticator
	limiter *ratelimit.Limiter
	// operations bounds the operation names used as metric labels.
	operations operationLabels
	ready      atomic.Bool
	storeOK    atomic.Int64       // unix nanoseconds of the store's last answer to checkStore
	stop       context.CancelFunc // ends the background loops
	loops      sync.WaitGroup
}

// newApp prepares the platform without waiting for the store: it checks
// the catalog, starts the embedded store unless MONGODB_URI is set, and
// makes the store's client, which connects in the background.
func newApp(cfg config, logger *slog.Logger) (_ *app, err error) {
	a := &app{cfg: cfg, logger: logger, accessLog: logger, metrics: newMetrics(), limiter: ratelimit.New(time.Now)}
	defer func() {
		if err != nil {
			a.close(context.Background())
		}
	}()
	// The catalog is checked at every start, seeded or not: a broken link
	// between its entries must stop the server, not surface later.
	if a.catalog, err = catalog.Load(); err != nil {
		return nil, err
	}
	uri := cfg.MongoURI
	if uri == "" {
		if a.embedded, err = embedded.Start(cfg.DataDir, "127.0.0.1:0", logger); err != nil {
			return nil, err
		}
		uri = a.embedded.URI()
		logger.Info("embedded store started", "data_dir", cfg.DataDir)
	}
	if a.store, err = store.New(store.Options{URI: uri, Database: cfg.MongoDatabase, OnCommand: a.metrics.observeCommand}); err != nil {
		return nil, err
	}
	if cfg.ResponseCacheMB > 0 {
		a.cache = respcache.New(int64(cfg.ResponseCacheMB)<<20, maxCachedRequest)
	}
	a.auth = newAuthenticator(a.store, cfg.AdminToken, logger)
	return a, nil
}

// openApp prepares the platform and waits until it is ready, giving up at
// the first failure: for tests.
func openApp(ctx context.Context, cfg config, logger *slog.Logger) (*app, error) {
	a, err := newApp(cfg, logger)
	if err != nil {
		return nil, err
	}
	if err := a.start(ctx, false); err != nil {
		a.close(context.Background())
		return nil, err
	}
	return a, nil
}

// start waits for the store, then readies the catalog: indexes, undoing
// edits left half done, seeding, and loading the replica. With retry, a
// store that does not answer is tried again with growing pauses (it may be
// starting too), and says so in the log; any other failure ends start.
func (a *app) start(ctx context.Context, retry bool) error {
	pause := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := a.prepare(ctx)
		if err == nil {
			break
		}
		if !retry || model.ErrorCodeOf(err) != model.CodeServiceUnavailable {
			return err
		}
		a.logger.Warn("waiting for the store", "attempt", attempt, "retry_in", pause, "error", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(pause*2, 10*time.Second)
	}
	a.storeOK.Store(time.Now().UnixNano())
	a.startLoops()
	a.ready.Store(true)
	a.logger.Info("ready")
	return nil
}

// prepare does start's work once; every step is safe to repeat.
func (a *app) prepare(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return err
	}
	if err := a.store.EnsureIndexes(ctx); err != nil {
		return err
	}
	// Edits left half done are undone before this instance serves. The
	// embedded store has no other user, so all of them were abandoned; a
	// shared store's may be in flight on another instance.
	abandoned := time.Minute
	if a.embedded != nil {
		abandoned = 0
	}
	if n, err := a.store.RecoverPending(ctx, abandoned); err != nil {
		return err
	} else if n > 0 {
		a.logger.Info("undid unfinished edits", "count", n)
	}
	if a.cfg.Seed {
		if err := a.seed(ctx, a.catalog); err != nil {
			return err
		}
	}
	if a.cfg.ReadFrom == "memory" && a.replica.Load() == nil {
		start := time.Now()
		r, err := replica.Open(ctx, a.store, a.logger)
		if err != nil {
			return err
		}
		roles, tools, resources := r.Current().Size()
		a.logger.Info("catalog loaded into memory", "roles", roles, "tools", tools, "learning_resources", resources,
			"took", time.Since(start).Round(time.Millisecond))
		a.replica.Store(r)
	}
	return nil
}

// startLoops runs the background work: undoing edits an instance left
// half done, and writing API key usage counts.
func (a *app) startLoops() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	a.every(ctx, time.Second, a.checkStore)
	a.every(ctx, time.Minute, a.recoverPending)
	a.every(ctx, time.Second, a.retryOrphans)
	a.every(ctx, 10*time.Second, a.auth.flushUsage)
	a.every(ctx, time.Minute, a.pruneFeed)
	if r := a.replica.Load(); r != nil {
		a.loops.Add(1)
		go func() {
			defer a.loops.Done()
			r.Follow(ctx, a.cfg.SyncInterval)
		}()
	}
}

// checkStore asks the store whether it answers, for /readyz, which must
// answer at once and so cannot wait on the store itself.
func (a *app) checkStore(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err == nil {
		a.storeOK.Store(time.Now().UnixNano())
	}
}

// retryOrphans undoes the edits this instance could not undo when they
// failed (the store was away), as soon as the store is back.
func (a *app) retryOrphans(ctx context.Context) {
	if n, err := a.store.RetryOrphans(ctx); n > 0 {
		a.logger.Info("undid failed edits once the store was back", "count", n, "error", err)
	}
}

// pruneFeed drops change feed entries every instance has long read. The
// feed is kept short because following it reads all of it on FerretDB;
// an instance away for longer than ten minutes reloads the catalog.
func (a *app) pruneFeed(ctx context.Context) {
	if err := a.store.PruneFeed(ctx, 1_000, 10*time.Minute); err != nil && ctx.Err() == nil {
		a.logger.Warn("prune the change feed", "error", err)
	}
}

// reader is the view of the catalog a new request reads: the replica's
// current snapshot, or the store itself.
func (a *app) reader() model.CatalogReader {
	if r := a.replica.Load(); r != nil {
		return r.Current()
	}
	return a.store
}

// refresh returns a view of the catalog that includes every committed
// write, for the rest of a request that wrote.
func (a *app) refresh(ctx context.Context) (model.CatalogReader, error) {
	r := a.replica.Load()
	if r == nil {
		return a.store, nil
	}
	err := r.CatchUp(ctx)
	return r.Current(), err
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
	seeded, err := a.store.Seed(ctx, store.SeedData(*cat))
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
