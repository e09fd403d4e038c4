package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/edge"
	"github.com/finder-platform/finder/editor"
	"github.com/finder-platform/finder/graph"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/projector"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/respcache"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/embedded"
)

// maxCachedRequest is the largest request whose answer the response cache
// keeps: real clients' queries are a few kilobytes.
const maxCachedRequest = 64 << 10

// app is the running platform: its parts, wired together, and whether it
// is ready to serve.
type app struct {
	cfg      config
	logger   *slog.Logger
	metrics  *edge.Metrics
	catalog  *catalog.Catalog
	store    *store.Store
	embedded *embedded.Server // nil when MONGODB_URI names a MongoDB
	// replica holds the catalog in memory once start loaded it. Writes are
	// planned on it whatever FINDER_READ_FROM says, which only decides
	// where reads go.
	replica   *replica.Replica
	editor    *editor.Editor
	projector *projector.Projector
	edge      *edge.Edge // every route
	ready     atomic.Bool
	storeOK   atomic.Int64       // unix nanoseconds of the store's last answer to checkStore
	stop      context.CancelFunc // ends the background loops
	loops     sync.WaitGroup
}

// newApp prepares the platform without waiting for the store: it checks
// the catalog, starts the embedded store unless MONGODB_URI is set, makes
// the store's client, which connects in the background, and the HTTP edge.
// accessLog is where the line a request goes (FINDER_ACCESS_LOG).
func newApp(cfg config, logger *slog.Logger, accessLog io.Writer) (_ *app, err error) {
	a := &app{cfg: cfg, logger: logger, metrics: edge.NewMetrics()}
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
	if a.store, err = store.New(store.Options{URI: uri, Database: cfg.MongoDatabase, OnCommand: a.metrics.ObserveCommand}); err != nil {
		return nil, err
	}
	// The embedded store has no other user: a projector lease it holds was
	// left by this process's last run, and is taken at once.
	a.projector = projector.New(a.store, logger, a.embedded != nil)
	a.replica = replica.New(a.store, logger, a.projector.Offer)
	a.editor = editor.New(a.store, a.replica, logger)
	a.edge = a.newEdge(accessLog)
	return a, nil
}

// newEdge makes the HTTP edge, reading the catalog as FINDER_READ_FROM says.
func (a *app) newEdge(accessLog io.Writer) *edge.Edge {
	cfg := a.cfg
	var cache *respcache.Cache
	if cfg.ResponseCacheMB > 0 {
		cache = respcache.New(int64(cfg.ResponseCacheMB)<<20, maxCachedRequest)
	}
	loaderWait := cfg.LoaderWait
	if cfg.ReadFrom == "memory" {
		loaderWait = 0 // the replica answers from memory: no round trips to save
	}
	return edge.New(edge.Deps{
		Config: edge.Config{
			MaxConcurrent: cfg.MaxConcurrent, QueueTimeout: cfg.QueueTimeout, RequestTimeout: cfg.RequestTimeout,
			MaxBodyBytes: cfg.MaxBodyBytes, CORSOrigins: cfg.CORSOrigins,
			RateAnonymous: cfg.RateAnonymous, RateKeyed: cfg.RateKeyed, AuthFailures: cfg.AuthFailures,
			TrustedProxyHops: cfg.TrustedProxyHops, GraphiQL: cfg.GraphiQL,
			// Access lines are INFO: a higher FINDER_LOG_LEVEL leaves them out.
			AccessLog: cfg.AccessLog && cfg.LogLevel <= slog.LevelInfo, LogJSON: cfg.LogFormat == "json",
			Limits:        graph.Limits{MaxDepth: cfg.MaxDepth, MaxCost: cfg.MaxCost, MaxAliases: cfg.MaxAliases, MaxTokens: cfg.MaxTokens},
			Introspection: cfg.Introspection, LoaderWait: loaderWait,
			// A replica that missed a few polls has lost the store.
			Stale:      max(cfg.SyncInterval*4, 2*time.Second),
			MaxDataAge: cfg.MaxDataAge, AdminToken: cfg.AdminToken,
		},
		Logger: a.logger, AccessLog: accessLog, Metrics: a.metrics,
		Catalog: catalogView{a}, Health: a, Keys: a.store, Cache: cache,
		Resolver: &graph.Resolver{Writer: catalogWriter{a.editor, a.store}, Refresh: a.refresh, Feed: a.store, Head: a.head},
	})
}

// catalogWriter is every change the API makes: the catalog's through the
// editor, which commits them to the change log; API keys, their history
// and the newsletter straight to the store, since they are not catalog.
type catalogWriter struct {
	*editor.Editor
	*store.Store
}

// catalogView is the catalog as the edge reads it: the replica's current
// snapshot, or with FINDER_READ_FROM=store the store itself.
type catalogView struct{ a *app }

func (v catalogView) View() (model.CatalogReader, int64, bool) {
	snap := v.a.replica.Current()
	if v.a.cfg.ReadFrom == "store" || snap == nil {
		return v.a.store, 0, false
	}
	return snap, snap.Seq(), true
}

func (v catalogView) Age() time.Duration { return v.a.replica.Age() }

// Ready reports whether the catalog is loaded and the instance is not
// stopping.
func (a *app) Ready() bool { return a.ready.Load() }

// StoreSilence is how long the store has not answered checkStore.
func (a *app) StoreSilence() time.Duration { return time.Since(time.Unix(0, a.storeOK.Load())) }

// openApp prepares the platform, logging to out, and waits until it is
// ready, giving up at the first failure: for tests.
func openApp(ctx context.Context, cfg config, out io.Writer) (*app, error) {
	a, err := newApp(cfg, newLogger(cfg, out), out)
	if err != nil {
		return nil, err
	}
	if err := a.start(ctx, false); err != nil {
		a.close(context.Background())
		return nil, err
	}
	return a, nil
}

// start waits for the store, then readies the catalog: upgrading data of
// an older format, indexes, seeding, and loading the replica. With retry, a
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
	if err := a.store.Upgrade(ctx, a.logger); err != nil {
		return err
	}
	if err := a.store.EnsureIndexes(ctx); err != nil {
		return err
	}
	if a.cfg.Seed {
		if err := a.seed(ctx, a.catalog); err != nil {
			return err
		}
	}
	start := time.Now()
	if err := a.replica.Load(ctx); err != nil {
		return err
	}
	roles, tools, resources := a.replica.Current().Size()
	a.logger.Info("catalog loaded into memory", "roles", roles, "tools", tools, "learning_resources", resources,
		"changes", a.replica.Current().Seq(), "took", time.Since(start).Round(time.Millisecond))
	a.projector.Start(ctx)
	return nil
}

// startLoops runs the background work: following the change log,
// projecting it into the collections, settling commits the store's
// absence left in doubt, and writing API key usage counts.
func (a *app) startLoops() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	a.every(ctx, time.Second, a.checkStore)
	a.every(ctx, time.Second, a.settleDoubts)
	a.every(ctx, 10*time.Second, a.edge.FlushUsage)
	a.loops.Add(2)
	go func() {
		defer a.loops.Done()
		a.replica.Follow(ctx, a.cfg.SyncInterval)
	}()
	go func() {
		defer a.loops.Done()
		a.projector.Run(ctx)
	}()
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

// settleDoubts finds out what became of commits the store's absence left
// in doubt, once it is back, and undoes those that were written.
func (a *app) settleDoubts(ctx context.Context) {
	n, err := a.editor.Settle(ctx)
	if n > 0 || (err != nil && model.ErrorCodeOf(err) != model.CodeServiceUnavailable) {
		a.logger.Info("settled edits the store's absence left in doubt", "undone", n, "error", err)
	}
}

// refresh returns a view of the catalog that includes the request's write,
// for the rest of a request that wrote: the replica already has it; the
// store's collections have it once the projector wrote it.
func (a *app) refresh(ctx context.Context) (model.CatalogReader, error) {
	if a.cfg.ReadFrom == "memory" {
		return a.replica.Current(), nil
	}
	return a.store, a.projector.Wait(ctx, a.replica.Current().Seq())
}

// head is the number of the newest change the replica has.
func (a *app) head() int64 { return a.replica.Current().Seq() }

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

// stopLoops ends the background work and waits for it, and reports
// whether there was any to end: only the first call after startLoops does.
func (a *app) stopLoops() bool {
	if a.stop == nil {
		return false
	}
	a.stop()
	a.stop = nil
	a.loops.Wait()
	return true
}

// close disconnects from the store, then stops the embedded one: FerretDB
// waits for open connections before it closes its files.
func (a *app) close(ctx context.Context) {
	a.ready.Store(false)
	if a.stopLoops() {
		a.edge.FlushUsage(ctx)
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
