package main

import (
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/editor"
	"github.com/finder-platform/finder/graph"
	"github.com/finder-platform/finder/loaders"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/web"
)

// routes is every endpoint of CONTRACT.md, behind the guards every
// request passes: an id, the access log and metrics, the overload guard and
// a deadline. /graphql adds a body limit, CORS, the guard against guessing
// keys, authentication, the rate limit and HTTP caching, in that order.
func (a *app) routes() http.Handler {
	api := limitBody(a.cfg.MaxBodyBytes, cors(a.cfg.CORSOrigins, a.guardKeys(a.auth.middleware(a.rateLimit(httpCaching(a.graphql()))))))
	mux := http.NewServeMux()
	mux.Handle("/graphql", api)
	if a.cfg.GraphiQL {
		mux.Handle("GET /graphiql", web.GraphiQL())
		mux.Handle("GET /graphiql/", web.GraphiQL())
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.metrics.handler())
	a.pageRoutes(mux)
	return requestID(a.observe(overload(a.cfg.MaxConcurrent, a.cfg.QueueTimeout, deadline(a.cfg.RequestTimeout, mux))))
}

// graphql serves the API. Each request reads one view of the catalog, taken
// when it starts: the loaders read it, and the response cache files the
// answer under its number.
func (a *app) graphql() http.Handler {
	resolver := &graph.Resolver{Writer: catalogWriter{a.editor, a.store}, Refresh: a.refresh, Feed: a.store, Head: a.head}
	gql := graph.NewHandler(resolver, a.logger, graph.Options{
		Limits:        graph.Limits{MaxDepth: a.cfg.MaxDepth, MaxCost: a.cfg.MaxCost, MaxAliases: a.cfg.MaxAliases, MaxTokens: a.cfg.MaxTokens},
		Introspection: a.cfg.Introspection,
		OnError:       func(code string) { a.metrics.errors.WithLabelValues(code).Inc() },
		OnReject:      func(limit string) { a.metrics.rejected.WithLabelValues(limit).Inc() },
		Staleness:     a.staleness,
		Secrets:       []string{a.cfg.AdminToken},
	})
	opts := loaders.Options{Wait: a.cfg.LoaderWait, OnBatch: func(loader string, keys int) {
		a.metrics.batches.WithLabelValues(loader).Observe(float64(keys))
	}}
	if a.cfg.ReadFrom == "memory" {
		opts.Wait = 0 // the replica answers from memory: no round trips to save
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.ready.Load() {
			w.Header().Set("Retry-After", "2")
			writeError(w, r, http.StatusServiceUnavailable, model.CodeServiceUnavailable,
				"The server is starting or stopping and cannot answer yet; please try again in a few seconds.")
			return
		}
		view := a.reader()
		serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gql.ServeHTTP(w, r.WithContext(loaders.WithLoaders(r.Context(), loaders.New(view, opts))))
		})
		snap, fromMemory := view.(*replica.Snapshot)
		// Only anonymous reads share answers; a keyed request may see more,
		// and its use is counted. A replica that lost the store answers
		// afresh, so that its answers say how old they are.
		if _, stale := a.staleness(); a.cache == nil || !fromMemory || r.Header.Get("Authorization") != "" || stale {
			serve(w, r)
			return
		}
		a.cache.Serve(w, r, snap.Seq(), serve)
	})
}

// catalogWriter is every change the API makes: the catalog's through the
// editor, which commits them to the change log; API keys, their history
// and the newsletter straight to the store, since they are not catalog.
type catalogWriter struct {
	*editor.Editor
	*store.Store
}

// staleness says how old the replica's data is, and whether that is older
// than a few sync intervals: the replica has lost the store.
func (a *app) staleness() (time.Duration, bool) {
	age := a.replica.Age()
	return age, age > a.cfg.SyncInterval*4 && age > 2*time.Second
}

// readyz answers 200 only while the catalog is loaded, the store answered
// in the last few seconds, and the replica is current. It answers at once:
// the store is checked in the background (checkStore).
func (a *app) readyz(w http.ResponseWriter, _ *http.Request) {
	dataAge := a.replica.Age()
	switch since := time.Since(time.Unix(0, a.storeOK.Load())); {
	case !a.ready.Load():
		http.Error(w, "not ready: starting or stopping", http.StatusServiceUnavailable)
	case since > 3*time.Second:
		http.Error(w, "not ready: the store has not answered for "+since.Round(time.Second).String(), http.StatusServiceUnavailable)
	case dataAge > a.cfg.MaxDataAge:
		http.Error(w, "not ready: the in-memory catalog has not synced for "+dataAge.Round(time.Second).String(), http.StatusServiceUnavailable)
	default:
		_, _ = w.Write([]byte("ready\n"))
	}
}

// validRequestID is what a request id from a client may look like; anything
// else is replaced, so logs cannot be forged through it.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID gives every request an id, taken from X-Request-Id when the
// client sent a sane one, and sends it back in the same header. It also
// gives the request the RequestInfo its layers fill in.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			id = uuid.NewString()
		}
		w.Header().Set("X-Request-Id", id)
		ctx, _ := model.WithRequestInfo(model.WithRequestID(r.Context(), id))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
