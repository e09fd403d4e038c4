// Package edge is the platform's HTTP edge: every route, the guards the
// API's requests pass, GraphQL over HTTP, the web client's pages, the
// partner role cards and the metrics. routes.go lists the routes and, in
// their order, the wrappers a request passes through.
//
// The edge reads the catalog through Catalog and never imports the store:
// its handlers run against any view of the catalog, an in-memory one in
// its tests.
package edge

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/finder-platform/finder/graph"
	"github.com/finder-platform/finder/loaders"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/ratelimit"
	"github.com/finder-platform/finder/respcache"
)

// Config is what the edge needs of the server's settings.
type Config struct {
	MaxConcurrent    int           // requests served at once; 0: no cap
	QueueTimeout     time.Duration // how long a request waits for a place
	RequestTimeout   time.Duration // the most one request may take
	MaxBodyBytes     int64
	CORSOrigins      []string // origins whose pages may send API keys
	RateAnonymous    int      // cost points a minute per address; 0: no limit
	RateKeyed        int      // cost points a minute per key; 0: no limit
	AuthFailures     int      // refused keys an address may send a minute; 0: no limit
	TrustedProxyHops int
	AccessLog        bool // a line a request
	LogJSON          bool // the logs are JSON (FINDER_LOG_FORMAT=json), not slog's text
	GraphiQL         bool
	Limits           graph.Limits
	Introspection    bool
	LoaderWait       time.Duration // with a store that answers reads: how long a loader gathers keys
	// Stale is how long the catalog may go unsynced before answers say
	// they come from an old copy.
	Stale      time.Duration
	MaxDataAge time.Duration // past it, /readyz says 503
	AdminToken string
}

// Catalog is the catalog as requests read it.
type Catalog interface {
	// View is what a new request reads, the number of the change it is
	// current at, and whether its answers may be kept (an immutable
	// snapshot: they stay right until the number moves).
	View() (reader model.CatalogReader, seq int64, snapshot bool)
	// Age is how long ago the view last heard from the store.
	Age() time.Duration
}

// Health says whether the instance may serve.
type Health interface {
	// Ready reports whether the catalog is loaded and the instance is not
	// stopping.
	Ready() bool
	// StoreSilence is how long the store has not answered.
	StoreSilence() time.Duration
}

// Keys finds API keys by the hash of their secret, and counts their use.
type Keys interface {
	KeyByHash(ctx context.Context, hash string) (*model.APIKey, error)
	RecordUsage(ctx context.Context, counts map[string]int64, at time.Time) error
}

// Deps are the edge's parts.
type Deps struct {
	Config    Config
	Logger    *slog.Logger // errors and warnings
	AccessLog io.Writer    // where the line a request goes, when Config.AccessLog
	Metrics   *Metrics
	Catalog   Catalog
	Health    Health
	Keys      Keys
	Resolver  *graph.Resolver
	Cache     *respcache.Cache // nil: no response cache
}

// Edge serves every route.
type Edge struct {
	cfg       Config
	logger    *slog.Logger
	accessLog *accessLog // nil: no access log
	metrics   *Metrics
	catalog   Catalog
	health    Health
	auth      *authenticator
	limiter   *ratelimit.Limiter
	cache     *respcache.Cache
	gql       *graph.Executor
	mux       *http.ServeMux
	places    chan struct{} // one per request served at once
	ops       operationLabels
}

// New returns the edge.
func New(d Deps) *Edge {
	e := &Edge{cfg: d.Config, logger: d.Logger, metrics: d.Metrics, catalog: d.Catalog,
		health: d.Health, limiter: ratelimit.New(time.Now), cache: d.Cache}
	if d.Config.AccessLog && d.AccessLog != nil {
		e.accessLog = &accessLog{out: d.AccessLog, json: d.Config.LogJSON}
	}
	if n := d.Config.MaxConcurrent; n > 0 {
		e.places = make(chan struct{}, n)
	}
	e.auth = newAuthenticator(d.Keys, d.Config.AdminToken, d.Logger)
	e.gql = graph.NewExecutor(d.Resolver, d.Logger, graph.Options{
		Limits:        d.Config.Limits,
		Introspection: d.Config.Introspection,
		OnError:       func(code string) { d.Metrics.errors.WithLabelValues(code).Inc() },
		OnReject:      func(limit string) { d.Metrics.rejected.WithLabelValues(limit).Inc() },
		Staleness:     e.staleness,
		Secrets:       []string{d.Config.AdminToken},
		Loaders: loaders.Options{Wait: d.Config.LoaderWait, OnBatch: func(loader string, keys int) {
			d.Metrics.batches.WithLabelValues(loader).Observe(float64(keys))
		}},
	})
	e.mux = e.routes()
	return e
}

// ServeHTTP serves every route.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.observe(w, r) }

// FlushUsage writes the API key usage counted since the last flush.
func (e *Edge) FlushUsage(ctx context.Context) { e.auth.flushUsage(ctx) }

// staleness says how old the catalog's data is, and whether that is older
// than it should be: the instance has lost the store, and answers from the
// copy in memory.
func (e *Edge) staleness() (time.Duration, bool) {
	age := e.catalog.Age()
	return age, age > e.cfg.Stale
}
