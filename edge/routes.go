package edge

import (
	"net/http"
	"strings"

	"github.com/finder-platform/finder/web"
)

// Every request passes, in this order:
//
//	observe      gives it its record (id, start, client address), then logs
//	             and counts the answer (observe.go)
//	admit        a place among those served at once (admit.go)
//	the route    found in the table below; a route whose work may wait on
//	             the store (timed) runs within the request's deadline
//
// A request to the API (/graphql) then passes:
//
//	cors          which pages may send it (cors.go)
//	authenticate  whose API key it carries, if any, looked up within the
//	              request's deadline (auth.go)
//	rateLimit     the client's budget of query cost (ratelimit.go)
//	graphql       the answer: from the response cache, or run within the
//	              request's deadline; with its HTTP caching headers
//	              (graphql.go)
//
// Each wrapper is a plain function of the next one, with one job; what a
// layer learns comes back to observe in the Answer it returns.

// api is /graphql's handler with its wrappers, outermost first.
func (e *Edge) api() handler {
	return chain(e.graphql, e.cors, e.authenticate, e.rateLimit)
}

// chain wraps h in ws, the first outermost.
func chain(h handler, ws ...wrapper) handler {
	for i := len(ws) - 1; i >= 0; i-- {
		h = ws[i](h)
	}
	return h
}

// routes is the table of every route: the API, GraphiQL, the health and
// metrics endpoints, the web client and the partner role cards.
func (e *Edge) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern string, h handler) { mux.Handle(pattern, route(h)) }
	handle("/graphql", e.api())
	if e.cfg.GraphiQL {
		handle("GET /graphiql", std(web.GraphiQL()))
		handle("GET /graphiql/", std(web.GraphiQL()))
	}
	handle("GET /healthz", healthz)
	handle("GET /readyz", e.readyz)
	handle("GET /metrics", std(e.metrics.handler()))
	handle("GET /assets/", std(web.Assets()))
	for _, p := range shellPages {
		handle(p.pattern, e.shellPage(p.data))
	}
	handle("GET /roles/{slug}", e.timed(e.rolePage))
	handle("GET /tools/{slug}", e.timed(e.toolPage))
	handle("GET /embed/roles/{slug}", e.timed(e.roleCard))
	handle("GET /embed.js", std(web.EmbedScript()))
	handle("GET /oembed", e.timed(e.oembed))
	return mux
}

// route is a handler as the route table keeps it. The table only finds
// routes (dispatch calls them with the request's record); served on its
// own, a route makes a record of its own.
type route handler

func (rt route) ServeHTTP(w http.ResponseWriter, r *http.Request) { rt(w, r, Request{}) }

// dispatch finds the request's route and calls it with the record. A
// request no route takes gets the table's own answer (404, or 405 with
// Allow).
func (e *Edge) dispatch(w http.ResponseWriter, r *http.Request, req Request) Answer {
	h, _ := e.mux.Handler(r)
	if rt, ok := h.(route); ok {
		return rt(w, r, req)
	}
	return std(h)(w, r, req)
}

// slugOf is the {slug} of a route such as /roles/{slug}: the path's last
// segment (the table only finds the route, so the value is read here).
func slugOf(r *http.Request) string {
	path := r.URL.Path
	return path[strings.LastIndexByte(path, '/')+1:]
}
