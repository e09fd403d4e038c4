package edge

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// observe is the outermost layer: it makes the request's record, sends the
// request through admit and its route, then writes one log line and counts
// the answer with what the layers returned. It sees every answer,
// refusals included.
func (e *Edge) observe(w http.ResponseWriter, r *http.Request) {
	req := e.newRequest(r)
	w.Header()["X-Request-Id"] = []string{req.ID}
	ans := e.admit(w, r, req)
	took := time.Since(req.Start)
	route := routeOf(r.URL.Path)
	outcome := ans.Outcome
	if outcome == "" {
		outcome = outcomeOf(ans.Status)
	}
	e.metrics.requests.WithLabelValues(route, e.ops.label(ans.Operation), outcome).Inc()
	e.metrics.latency.WithLabelValues(route).Observe(took.Seconds())
	if e.accessLog != nil {
		e.accessLog.write(time.Now(), accessLine{ID: req.ID, Method: r.Method, Path: r.URL.Path,
			Status: ans.Status, Operation: ans.Operation, Cost: ans.Cost, Outcome: outcome,
			Cache: ans.Cache, Key: ans.Key, Took: took, Bytes: ans.Bytes})
	}
}

// routeOf names a path for metrics without letting clients create labels.
func routeOf(path string) string {
	switch {
	case path == "/graphql", path == "/graphiql", path == "/healthz", path == "/readyz", path == "/metrics",
		path == "/embed.js", path == "/oembed":
		return path
	case strings.HasPrefix(path, "/graphiql/"):
		return "/graphiql"
	case strings.HasPrefix(path, "/embed/"):
		return "/embed"
	default:
		return "/"
	}
}

func outcomeOf(status int) string {
	switch {
	case status < 400:
		return "ok"
	case status < 500:
		return "client_error"
	default:
		return "server_error"
	}
}

// operationLabels keeps metrics' operation names to a bounded set: the
// names are chosen by clients, and each would be a time series.
type operationLabels struct {
	mu    sync.Mutex
	known map[string]bool
}

const maxOperationLabels = 200

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ ]{0,63}$`)

func (o *operationLabels) label(name string) string {
	if name == "" {
		return "none"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.known[name] {
		return name
	}
	if len(o.known) >= maxOperationLabels || !plainName.MatchString(name) {
		return "other"
	}
	if o.known == nil {
		o.known = map[string]bool{}
	}
	o.known[name] = true
	return name
}
