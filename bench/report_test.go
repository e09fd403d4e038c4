package main

import (
	"bytes"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

func TestReportTable(t *testing.T) {
	rep := &Report{URL: "http://s", Concurrency: 16, Duration: "10s", Warmup: "1s", Results: []Result{
		{Phase: "alone", Op: "card", Requests: 1234, RPS: 123.4, P50Ms: 0.4123, P90Ms: 4.123, P99Ms: 41.23, MaxMs: 412.3, DBCommandsPerRequest: ptr(2)},
		{Phase: "mix", Op: "search", Requests: 5, RPS: 0.5, P50Ms: 1, P90Ms: 2, P99Ms: 3, MaxMs: 4, Errors: 2, FirstError: "HTTP 500: boom"},
	}}
	var b bytes.Buffer
	writeReport(&b, rep)
	want := `http://s: 16 clients, 10s per run after a 1s warm-up

operation   requests  rps      p50     p90     p99     max  errors  db/req
card            1234  123  0.412ms  4.12ms  41.2ms   412ms       0    2.00
mix search         5  0.5   1.00ms  2.00ms  3.00ms  4.00ms       2       -

First errors:
  mix search (2 of 5): HTTP 500: boom
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestComparisonTable(t *testing.T) {
	server := &Report{URL: "http://s", Concurrency: 16, Duration: "5s", Warmup: "1s", Results: []Result{
		{Phase: "alone", Op: "card", RPS: 32000, P50Ms: 0.5, P90Ms: 1, P99Ms: 2.5, DBCommandsPerRequest: ptr(1)},
		{Phase: "alone", Op: "page", RPS: 1000, P50Ms: 5, P90Ms: 9, P99Ms: 12, DBCommandsPerRequest: ptr(6.5)},
		{Phase: "alone", Op: "scan", RPS: 100, P50Ms: 5, P90Ms: 9, P99Ms: 12, Errors: 1, Requests: 500, FirstError: "HTTP 500: x"},
		{Phase: "alone", Op: "tool", RPS: 9000, P50Ms: 1, P90Ms: 2, P99Ms: 3.01, DBCommandsPerRequest: ptr(0)},
		{Phase: "mix", Op: "all", RPS: 3000, P50Ms: 1, P90Ms: 2, P99Ms: 3, DBCommandsPerRequest: ptr(2.25)},
	}}
	ceiling := &Report{URL: "http://c", Concurrency: 16, Results: []Result{
		{Phase: "alone", Op: "card", RPS: 40000, P99Ms: 1.5},
		{Phase: "alone", Op: "page", RPS: 20000, P99Ms: 6},
		{Phase: "alone", Op: "scan", RPS: 10000},
		{Phase: "alone", Op: "tool", RPS: 10000, P99Ms: 2},
		{Phase: "mix", Op: "all", RPS: 30000},
	}}
	var b bytes.Buffer
	writeComparison(&b, server, ceiling)
	got := b.String()
	for _, line := range []string{
		"operation  requests  server rps  ceiling rps  ratio      p50     p90     p99  ceiling p99  errors  db/req  target                   verdict",
		"card              0       32000        40000    80%  0.500ms  1.00ms  2.50ms       1.50ms       0    1.00  >=80%, p99<=ceiling+1ms  ok",
		"page              0        1000        20000   5.0%   5.00ms  9.00ms  12.0ms       6.00ms       0    6.50  >=80%, p99<=ceiling+1ms  MISS rps+p99",
		"scan            500         100        10000   1.0%   5.00ms  9.00ms  12.0ms      0.000ms       1       -  >=80%, p99<=ceiling+1ms  ERRORS",
		"tool              0        9000        10000    90%   1.00ms  2.00ms  3.01ms       2.00ms       0    0.00  >=80%, p99<=ceiling+1ms  MISS p99",
		"mix all           0        3000        30000    10%   1.00ms  2.00ms  3.00ms      0.000ms       0    2.25",
		"  scan (1 of 500): HTTP 500: x",
	} {
		if !strings.Contains(got, line+"\n") {
			t.Errorf("no line %q in\n%s", line, got)
		}
	}
}

func TestComparisonWithoutTheCeilingsRow(t *testing.T) {
	server := &Report{URL: "http://s", Concurrency: 4, Results: []Result{{Phase: "alone", Op: "tool", RPS: 10, P99Ms: 1}}}
	ceiling := &Report{URL: "http://c", Concurrency: 4, Results: []Result{{Phase: "alone", Op: "card", RPS: 10, Errors: 1, Requests: 3, FirstError: "x"}}}
	var b bytes.Buffer
	writeComparison(&b, server, ceiling)
	for _, want := range []string{"tool              0        10.0            -      -", "no ceiling", "The targets are stated for 16 clients; this run used 4.", "First ceiling errors:"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in\n%s", want, b.String())
		}
	}
}
