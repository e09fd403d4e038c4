package edge

import (
	"net/http"
	"regexp"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the server's Prometheus metrics, on a registry of its own so
// that tests can run several servers in one process.
type Metrics struct {
	registry   *prometheus.Registry
	dbCommands *prometheus.CounterVec
	dbFailures *prometheus.CounterVec
	dbDuration *prometheus.HistogramVec
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	errors     *prometheus.CounterVec
	rejected   *prometheus.CounterVec
	batches    *prometheus.HistogramVec
}

// NewMetrics makes the metrics, with the Go runtime's and the process's.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		dbCommands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finder_db_commands_total",
			Help: "Commands sent to the database, by command name.",
		}, []string{"command"}),
		dbFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finder_db_command_failures_total",
			Help: "Commands the database answered with an error or never answered, by command name.",
		}, []string{"command"}),
		dbDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "finder_db_command_duration_seconds",
			Help:    "How long database commands took, by command name.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"command"}),
	}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finder_http_requests_total",
		Help: "Requests, by route, GraphQL operation name and outcome (ok, error, client_error, server_error, or the code that refused it).",
	}, []string{"route", "operation", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "finder_http_request_duration_seconds",
		Help:    "How long requests took to answer, by route.",
		Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	m.errors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finder_graphql_errors_total",
		Help: "Errors in GraphQL answers, by extensions.code.",
	}, []string{"code"})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finder_graphql_rejected_total",
		Help: "Queries refused before running, by the limit they exceeded (depth, cost, aliases).",
	}, []string{"limit"})
	m.batches = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "finder_loader_batch_size",
		Help:    "Keys per dataloader batch, by loader.",
		Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500},
	}, []string{"loader"})
	m.registry.MustRegister(m.dbCommands, m.dbFailures, m.dbDuration, m.requests, m.latency, m.errors, m.rejected, m.batches,
		// go_gc_heap_live_bytes, besides the defaults: the heap in use swings
		// by the collector's headroom (package gcpace), what stays live does not.
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveCommand counts one database command; the store calls it for every
// command the driver sends.
func (m *Metrics) ObserveCommand(name string, took time.Duration, failed bool) {
	m.dbCommands.WithLabelValues(name).Inc()
	m.dbDuration.WithLabelValues(name).Observe(took.Seconds())
	if failed {
		m.dbFailures.WithLabelValues(name).Inc()
	}
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// DBCommands sums finder_db_commands_total over every command but ping:
// the commands requests and edits cost, without the instance's ping of the
// store every second for /readyz, which none of them causes.
func (m *Metrics) DBCommands() int {
	families, _ := m.registry.Gather()
	total := 0.0
	for _, f := range families {
		if f.GetName() != "finder_db_commands_total" {
			continue
		}
		for _, c := range f.GetMetric() {
			if c.GetLabel()[0].GetValue() != "ping" {
				total += c.GetCounter().GetValue()
			}
		}
	}
	return int(total)
}
