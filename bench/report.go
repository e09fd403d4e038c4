package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// A Report is what one load run measured; -json writes it as is, and the
// compare command reads two of them.
type Report struct {
	URL         string   `json:"url"`
	Concurrency int      `json:"concurrency"`
	Duration    string   `json:"duration"`
	Warmup      string   `json:"warmup"`
	Started     string   `json:"started"`
	Results     []Result `json:"results"`
}

// A Result is one operation's row: alone, or its share of the mix ("all"
// being the mix as a whole).
type Result struct {
	Phase      string  `json:"phase"` // "alone" or "mix"
	Op         string  `json:"op"`
	Requests   int     `json:"requests"`
	Seconds    float64 `json:"seconds"`
	RPS        float64 `json:"rps"`
	P50Ms      float64 `json:"p50Ms"`
	P90Ms      float64 `json:"p90Ms"`
	P99Ms      float64 `json:"p99Ms"`
	MaxMs      float64 `json:"maxMs"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"firstError,omitempty"`
	// DBCommandsPerRequest is the growth of the server's
	// finder_db_commands_total (all labels) over the run, per request; null
	// when the server does not report it, and for an operation's share of the
	// mix, where only the whole is known.
	DBCommandsPerRequest *float64 `json:"dbCommandsPerRequest"`
}

// name is how a row is labelled: the operation alone, "mix card" in the mix.
func (r Result) name() string {
	if r.Phase == "mix" {
		return "mix " + r.Op
	}
	return r.Op
}

// summary is the row as one line of progress.
func (r Result) summary() string {
	s := fmt.Sprintf("%-10s %8d requests %9s/s  p50 %s  p90 %s  p99 %s  max %s  errors %d  db/req %s",
		r.name(), r.Requests, formatRate(r.RPS), formatMs(r.P50Ms), formatMs(r.P90Ms), formatMs(r.P99Ms),
		formatMs(r.MaxMs), r.Errors, formatDB(r.DBCommandsPerRequest))
	if r.FirstError != "" {
		s += "\n           first error: " + r.FirstError
	}
	return s
}

// A target is what an operation must reach at 16 clients.
type target struct {
	minRatio float64 // of the ceiling's requests per second, in percent
	maxP99Ms float64
}

// targets are the goals for each operation run alone.
var targets = map[string]target{
	"card":   {minRatio: 50, maxP99Ms: 3},
	"page":   {minRatio: 40, maxP99Ms: 5},
	"scan":   {minRatio: 20, maxP99Ms: 15},
	"search": {minRatio: 40, maxP99Ms: 5},
	"tool":   {minRatio: 40, maxP99Ms: 5},
}

// targetConcurrency is the number of clients the targets are stated for.
const targetConcurrency = 16

// writeReport writes one run as a table, and each operation's first error.
func writeReport(w io.Writer, rep *Report) {
	fmt.Fprintf(w, "%s: %d clients, %s per run after a %s warm-up\n\n", rep.URL, rep.Concurrency, rep.Duration, rep.Warmup)
	header := []string{"operation", "requests", "rps", "p50", "p90", "p99", "max", "errors", "db/req"}
	var rows [][]string
	for _, r := range rep.Results {
		rows = append(rows, []string{r.name(), fmt.Sprint(r.Requests), formatRate(r.RPS), formatMs(r.P50Ms),
			formatMs(r.P90Ms), formatMs(r.P99Ms), formatMs(r.MaxMs), fmt.Sprint(r.Errors), formatDB(r.DBCommandsPerRequest)})
	}
	io.WriteString(w, formatTable(header, rows, "lrrrrrrrr"))
	writeFirstErrors(w, "", rep)
}

// writeComparison writes the server's run beside the ceiling's: each
// operation's requests per second as a share of the ceiling's, the server's
// request count and latencies with the ceiling's p99 beside them, errors and
// database commands, and whether it meets its target.
func writeComparison(w io.Writer, server, ceiling *Report) {
	fmt.Fprintf(w, "server %s against the ceiling %s: %d clients, %s per run after a %s warm-up\n\n",
		server.URL, ceiling.URL, server.Concurrency, server.Duration, server.Warmup)
	ceil := map[string]Result{}
	for _, r := range ceiling.Results {
		ceil[r.Phase+"/"+r.Op] = r
	}
	header := []string{"operation", "requests", "server rps", "ceiling rps", "ratio", "p50", "p90", "p99", "ceiling p99", "errors", "db/req", "target", "verdict"}
	var rows [][]string
	for _, r := range server.Results {
		c, haveCeiling := ceil[r.Phase+"/"+r.Op]
		ceilingRPS, ratio, ceilingP99 := "-", "-", "-"
		var pct float64
		if haveCeiling && c.RPS > 0 {
			pct = 100 * r.RPS / c.RPS
			ceilingRPS, ratio, ceilingP99 = formatRate(c.RPS), formatPercent(pct), formatMs(c.P99Ms)
		}
		goal, verdict := "", ""
		if t, ok := targets[r.Op]; ok && r.Phase == "alone" {
			goal = fmt.Sprintf(">=%g%%, p99<%gms", t.minRatio, t.maxP99Ms)
			verdict = judge(t, pct, haveCeiling && c.RPS > 0, r, c)
		}
		rows = append(rows, []string{r.name(), fmt.Sprint(r.Requests), formatRate(r.RPS), ceilingRPS, ratio, formatMs(r.P50Ms), formatMs(r.P90Ms),
			formatMs(r.P99Ms), ceilingP99, fmt.Sprint(r.Errors), formatDB(r.DBCommandsPerRequest), goal, verdict})
	}
	io.WriteString(w, formatTable(header, rows, "lrrrrrrrrrrll"))
	if server.Concurrency != targetConcurrency {
		fmt.Fprintf(w, "\nThe targets are stated for %d clients; this run used %d.\n", targetConcurrency, server.Concurrency)
	}
	writeFirstErrors(w, "server ", server)
	writeFirstErrors(w, "ceiling ", ceiling)
}

// judge says whether a row meets its target: "ok", or "MISS" and what
// missed, noting a p99 target the ceiling itself misses on this machine.
// Errors on either side make the comparison meaningless.
func judge(t target, pct float64, haveCeiling bool, server, ceiling Result) string {
	switch {
	case server.Errors > 0:
		return "ERRORS"
	case !haveCeiling:
		return "no ceiling"
	case ceiling.Errors > 0:
		return "CEILING ERRORS"
	}
	var missed []string
	if pct < t.minRatio {
		missed = append(missed, "rps")
	}
	switch {
	case server.P99Ms >= t.maxP99Ms && ceiling.P99Ms >= t.maxP99Ms:
		missed = append(missed, "p99 (so does the ceiling)")
	case server.P99Ms >= t.maxP99Ms:
		missed = append(missed, "p99")
	}
	if len(missed) == 0 {
		return "ok"
	}
	return "MISS " + strings.Join(missed, "+")
}

// writeFirstErrors lists the first error of each row that had errors.
func writeFirstErrors(w io.Writer, who string, rep *Report) {
	first := true
	for _, r := range rep.Results {
		if r.Errors == 0 || r.FirstError == "" || r.Op == "all" {
			continue
		}
		if first {
			fmt.Fprintf(w, "\nFirst %serrors:\n", who)
			first = false
		}
		fmt.Fprintf(w, "  %s (%d of %d): %s\n", r.name(), r.Errors, r.Requests, r.FirstError)
	}
}

// formatTable aligns rows under header, two spaces apart: column i to the
// left when align[i] is 'l', to the right (numbers) otherwise.
func formatTable(header []string, rows [][]string, align string) string {
	widths := make([]int, len(header))
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		var l strings.Builder
		for i, cell := range row {
			if i > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i < len(align) && align[i] == 'l' {
				l.WriteString(cell + pad)
			} else {
				l.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(header)
	for _, row := range rows {
		line(row)
	}
	return b.String()
}

// formatMs writes a latency in milliseconds with three significant digits
// or so: 0.412ms, 4.12ms, 41.2ms, 412ms.
func formatMs(v float64) string {
	switch {
	case v < 1:
		return fmt.Sprintf("%.3fms", v)
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 100:
		return fmt.Sprintf("%.1fms", v)
	default:
		return fmt.Sprintf("%.0fms", v)
	}
}

// formatRate writes requests per second: 12.3, 1234.
func formatRate(v float64) string {
	if v < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// formatPercent writes a ratio in percent: 0.42%, 4.2%, 42%.
func formatPercent(v float64) string {
	switch {
	case v < 1:
		return fmt.Sprintf("%.2f%%", v)
	case v < 10:
		return fmt.Sprintf("%.1f%%", v)
	default:
		return fmt.Sprintf("%.0f%%", v)
	}
}

// formatDB writes database commands per request, or "-" when unknown.
func formatDB(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *v)
}
