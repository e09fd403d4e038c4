package main

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on a registry of its own so
// that tests can run several servers in one process.
type metrics struct {
	registry   *prometheus.Registry
	dbCommands *prometheus.CounterVec
	dbFailures *prometheus.CounterVec
	dbDuration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
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
	m.registry.MustRegister(m.dbCommands, m.dbFailures, m.dbDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observeCommand counts one database command; the store calls it for every
// command the driver sends.
func (m *metrics) observeCommand(name string, took time.Duration, failed bool) {
	m.dbCommands.WithLabelValues(name).Inc()
	m.dbDuration.WithLabelValues(name).Observe(took.Seconds())
	if failed {
		m.dbFailures.WithLabelValues(name).Inc()
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// dbCommandsTotal sums finder_db_commands_total over every command.
func (m *metrics) dbCommandsTotal() int {
	families, _ := m.registry.Gather()
	total := 0.0
	for _, f := range families {
		if f.GetName() == "finder_db_commands_total" {
			for _, c := range f.GetMetric() {
				total += c.GetCounter().GetValue()
			}
		}
	}
	return int(total)
}
