package main

import (
	"fmt"
	"io"
	"slices"
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

// joinRounds joins the rows of one operation from several rounds, in the
// order each first appears: requests, time and errors add up; the
// latencies are the median round's (the middle one of an even count's two,
// the higher), and max the highest.
func joinRounds(rows []Result) []Result {
	var order []string
	rounds := map[string][]Result{}
	for _, r := range rows {
		k := r.Phase + "/" + r.Op
		if rounds[k] == nil {
			order = append(order, k)
		}
		rounds[k] = append(rounds[k], r)
	}
	var out []Result
	for _, k := range order {
		rs := rounds[k]
		j := rs[0]
		if len(rs) == 1 {
			out = append(out, j)
			continue
		}
		var db float64
		haveDB := true
		for _, r := range rs[1:] {
			j.Requests += r.Requests
			j.Seconds += r.Seconds
			j.Errors += r.Errors
			j.MaxMs = max(j.MaxMs, r.MaxMs)
			if j.FirstError == "" {
				j.FirstError = r.FirstError
			}
		}
		for _, r := range rs {
			if r.DBCommandsPerRequest == nil {
				haveDB = false
			} else {
				db += *r.DBCommandsPerRequest * float64(r.Requests)
			}
		}
		if j.Seconds > 0 {
			j.RPS = float64(j.Requests) / j.Seconds
		}
		j.DBCommandsPerRequest = nil
		if haveDB && j.Requests > 0 {
			db /= float64(j.Requests)
			j.DBCommandsPerRequest = &db
		}
		median := func(f func(Result) float64) float64 {
			v := make([]float64, len(rs))
			for i, r := range rs {
				v[i] = f(r)
			}
			slices.Sort(v)
			return v[len(v)/2]
		}
		j.P50Ms = median(func(r Result) float64 { return r.P50Ms })
		j.P90Ms = median(func(r Result) float64 { return r.P90Ms })
		j.P99Ms = median(func(r Result) float64 { return r.P99Ms })
		out = append(out, j)
	}
	return out
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

// A target is what an operation must reach at 16 clients, measured against
// the ceiling in the same run: a share of its requests a second, and a p99
// no more than a margin above its p99. The ceiling's own figures move with
// the machine's load, so targets relative to them hold on any machine.
type target struct {
	minRatio  float64 // of the ceiling's requests per second, in percent
	p99Margin float64 // milliseconds above the ceiling's p99
}

// goal is every operation's target when run alone.
var goal = target{minRatio: 80, p99Margin: 1}

// targeted are the operations the goal holds for.
var targeted = map[string]bool{"card": true, "page": true, "scan": true, "search": true, "tool": true}

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
		wanted, verdict := "", ""
		if targeted[r.Op] && r.Phase == "alone" {
			wanted = fmt.Sprintf(">=%g%%, p99<=ceiling+%gms", goal.minRatio, goal.p99Margin)
			verdict = judge(goal, pct, haveCeiling && c.RPS > 0, r, c)
		}
		rows = append(rows, []string{r.name(), fmt.Sprint(r.Requests), formatRate(r.RPS), ceilingRPS, ratio, formatMs(r.P50Ms), formatMs(r.P90Ms),
			formatMs(r.P99Ms), ceilingP99, fmt.Sprint(r.Errors), formatDB(r.DBCommandsPerRequest), wanted, verdict})
	}
	io.WriteString(w, formatTable(header, rows, "lrrrrrrrrrrll"))
	if server.Concurrency != targetConcurrency {
		fmt.Fprintf(w, "\nThe targets are stated for %d clients; this run used %d.\n", targetConcurrency, server.Concurrency)
	}
	writeFirstErrors(w, "server ", server)
	writeFirstErrors(w, "ceiling ", ceiling)
}

// judge says whether a row meets its target: "ok", or "MISS" and what
// missed. Errors on either side make the comparison meaningless.
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
	if server.P99Ms > ceiling.P99Ms+t.p99Margin {
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
