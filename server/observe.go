package main

import (
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/finder-platform/finder/model"
)

// observe writes one log line per request and records its metrics. It
// runs outermost but one (inside requestID), so it sees every answer,
// refusals included.
func (a *app) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		facts := model.RequestInfoFrom(r.Context()).Get()
		route := routeOf(r.URL.Path)
		outcome := facts.Outcome
		if outcome == "" {
			outcome = outcomeOf(rec.status)
		}
		op := a.operations.label(facts.Operation)
		a.metrics.requests.WithLabelValues(route, op, outcome).Inc()
		a.metrics.latency.WithLabelValues(route).Observe(took.Seconds())
		if a.cfg.AccessLog && a.accessLog.Enabled(r.Context(), slog.LevelInfo) {
			a.accessLog.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", model.RequestID(r.Context())),
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", rec.status), slog.String("operation", facts.Operation),
				slog.Int("cost", facts.Cost), slog.String("outcome", outcome),
				slog.String("cache", rec.Header().Get("X-Cache")),
				slog.Duration("duration", took), slog.Int("bytes", rec.bytes))
		}
	})
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

// statusRecorder notes the status and size of an answer as it passes.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	n, err := s.ResponseWriter.Write(p)
	s.bytes += n
	return n, err
}
