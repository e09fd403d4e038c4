package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"slices"
	"sync"
	"time"
)

// LoadConfig is how the load command runs.
type LoadConfig struct {
	URL         string
	Concurrency int
	Duration    time.Duration // each measured run
	Warmup      time.Duration // before each measured run, not measured
	Grace       time.Duration // how long requests still in flight at the end get before they are cancelled (and count as errors)
	Ops         []string      // the operations, in opNames order
	Alone       bool          // run each of Ops alone
	Mix         bool          // then all of Ops together, in mixWeights proportions
	Plan        PlanConfig
}

// errorsKey marks a GraphQL answer with errors. Inside a JSON string the
// quote before the colon would be escaped, so text cannot fake it.
var errorsKey = []byte(`"errors":`)

// runOp is an operation ready to send: its requests as the bytes written.
type runOp struct {
	name  string
	wires [][]byte
}

// opStats is what one run measured for one operation.
type opStats struct {
	requests   int
	errors     int
	firstError string
	latencies  []time.Duration // every request's, sorted
}

// worker is one client's private record of a run, so that recording a
// request touches nothing shared.
type worker struct {
	lat      [][]time.Duration // per operation
	errs     []int
	first    []string
	firstAt  []time.Time
	buf      bytes.Buffer // the last answer; reused, so reading costs no allocation once grown
	position []int        // per operation: the next request to send
}

// run sends requests for d, one client per conn: each client takes the
// operations in schedule's order (a single entry for one operation alone),
// and each operation's requests in turn, starting at a different place per
// client. A client starts no request after d; one in flight is awaited up to
// grace, then abandoned as an error. It returns each operation's statistics
// and the time from the start until the last client finished.
func run(ctx context.Context, conns []*conn, ops []*runOp, schedule []int, d, grace time.Duration) ([]opStats, time.Duration) {
	conc := len(conns)
	// Room for about 5,000 requests per client and second: a plain handler
	// on this kind of machine does 50,000 a second from 16 clients.
	perOp := make([]int, len(ops))
	for _, oi := range schedule {
		perOp[oi]++
	}
	expected := min(int(d.Seconds()*5000)+1024, 1<<20)
	workers := make([]*worker, conc)
	for w := range workers {
		wk := &worker{
			lat: make([][]time.Duration, len(ops)), errs: make([]int, len(ops)),
			first: make([]string, len(ops)), firstAt: make([]time.Time, len(ops)),
			position: make([]int, len(ops)),
		}
		for oi, op := range ops {
			wk.lat[oi] = make([]time.Duration, 0, expected*perOp[oi]/len(schedule)+16)
			wk.position[oi] = w * len(op.wires) / conc
		}
		wk.buf.Grow(64 << 10)
		workers[w] = wk
	}

	start := time.Now()
	deadline := start.Add(d)
	for _, c := range conns {
		c.setDeadline(deadline.Add(grace))
	}
	var wg sync.WaitGroup
	for w, wk := range workers {
		wg.Go(func() {
			c := conns[w]
			slot := w * len(schedule) / conc
			for {
				t0 := time.Now()
				if !t0.Before(deadline) || ctx.Err() != nil {
					return
				}
				oi := schedule[slot]
				if slot++; slot == len(schedule) {
					slot = 0
				}
				op := ops[oi]
				k := wk.position[oi]
				if wk.position[oi]++; wk.position[oi] == len(op.wires) {
					wk.position[oi] = 0
				}
				status, err := c.roundTrip(op.wires[k], &wk.buf)
				wk.lat[oi] = append(wk.lat[oi], time.Since(t0))
				if err == nil && status == 200 && !bytes.Contains(wk.buf.Bytes(), errorsKey) {
					continue
				}
				wk.errs[oi]++
				if wk.first[oi] == "" {
					wk.firstAt[oi] = t0
					var ne net.Error
					switch {
					case errors.As(err, &ne) && ne.Timeout():
						wk.first[oi] = fmt.Sprintf("no answer by the end of the run plus -grace (%v): %v", grace, err)
					case err != nil:
						wk.first[oi] = err.Error()
					default:
						wk.first[oi] = fmt.Sprintf("HTTP %d: %s", status, shorten(wk.buf.String(), 300))
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	stats := make([]opStats, len(ops))
	for oi := range ops {
		st := &stats[oi]
		var firstAt time.Time
		for _, wk := range workers {
			st.requests += len(wk.lat[oi])
			st.errors += wk.errs[oi]
			st.latencies = append(st.latencies, wk.lat[oi]...)
			if wk.first[oi] != "" && (st.firstError == "" || wk.firstAt[oi].Before(firstAt)) {
				st.firstError, firstAt = wk.first[oi], wk.firstAt[oi]
			}
		}
		slices.Sort(st.latencies)
	}
	return stats, elapsed
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted: the smallest value that at least p% of the values do not exceed.
// It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// mixSchedule returns the order in which a client of the mixed run takes the
// operations: 100 slots, each operation's share of them as its weight says
// (renormalised over the operations present), shuffled the same way every
// time.
func mixSchedule(names []string) []int {
	total := 0
	for _, n := range names {
		total += mixWeights[n]
	}
	var slots []int
	for i, n := range names {
		k := int(math.Round(float64(mixWeights[n]) * 100 / float64(total)))
		for range max(k, 1) {
			slots = append(slots, i)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	return slots
}

// load runs the load command: discovery, then every operation alone, then
// the mix, and returns the report. It writes progress to progress.
func load(ctx context.Context, cfg LoadConfig, progress io.Writer) (*Report, error) {
	addr, host, err := hostOf(cfg.URL)
	if err != nil {
		return nil, err
	}
	c := newClient(cfg.URL, 1)
	defer c.close()
	conns := make([]*conn, cfg.Concurrency)
	for i := range conns {
		conns[i] = newConn(addr)
		defer conns[i].close()
	}

	t := time.Now()
	plan, err := discover(ctx, c.fetch, cfg.Plan)
	if err != nil {
		return nil, err
	}
	var ops []*runOp
	for _, name := range cfg.Ops {
		op := plan.op(name)
		if op == nil {
			return nil, fmt.Errorf("no operation %q", name)
		}
		ro := &runOp{name: name}
		for _, r := range op.Requests {
			ro.wires = append(ro.wires, r.wire(host))
		}
		ops = append(ops, ro)
	}
	fmt.Fprintf(progress, "%s: %d role slugs, %d tools, %d scan pages, %d search terms (%v)\n", cfg.URL,
		len(plan.op("card").Requests), len(plan.op("tool").Requests), len(plan.op("scan").Requests),
		len(plan.op("search").Requests), time.Since(t).Round(time.Millisecond))

	rep := &Report{
		URL: cfg.URL, Concurrency: cfg.Concurrency, Duration: cfg.Duration.String(), Warmup: cfg.Warmup.String(),
		Started: time.Now().UTC().Format(time.RFC3339),
	}
	measure := func(phase string, ops []*runOp, schedule []int) error {
		label := ops[0].name
		if len(ops) > 1 {
			label = "mix"
		}
		if cfg.Warmup > 0 {
			fmt.Fprintf(progress, "%-6s warm-up %v ...\n", label, cfg.Warmup)
			run(ctx, conns, ops, schedule, cfg.Warmup, cfg.Grace)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fmt.Fprintf(progress, "%-6s %v at %d clients ...\n", label, cfg.Duration, cfg.Concurrency)
		before, okBefore := readDBCommands(ctx, c)
		stats, elapsed := run(ctx, conns, ops, schedule, cfg.Duration, cfg.Grace)
		after, okAfter := readDBCommands(ctx, c)
		if err := ctx.Err(); err != nil {
			return err
		}
		var db *float64
		if okBefore && okAfter {
			delta := after - before
			db = &delta
		}
		var all opStats
		opDB := db // only an operation run alone has its own count
		if len(ops) > 1 {
			opDB = nil
		}
		for i, op := range ops {
			r := newResult(phase, op.name, stats[i], elapsed, opDB)
			rep.Results = append(rep.Results, r)
			fmt.Fprintf(progress, "%-6s %s\n", "", r.summary())
			all.requests += stats[i].requests
			all.errors += stats[i].errors
			all.latencies = append(all.latencies, stats[i].latencies...)
			if all.firstError == "" {
				all.firstError = stats[i].firstError
			}
		}
		if len(ops) > 1 {
			slices.Sort(all.latencies)
			r := newResult(phase, "all", all, elapsed, db)
			rep.Results = append(rep.Results, r)
			fmt.Fprintf(progress, "%-6s %s\n", "", r.summary())
		}
		return nil
	}
	for _, op := range ops {
		if !cfg.Alone {
			break
		}
		if err := measure("alone", []*runOp{op}, []int{0}); err != nil {
			return nil, err
		}
	}
	if cfg.Mix && len(ops) > 1 {
		names := make([]string, len(ops))
		for i, op := range ops {
			names[i] = op.name
		}
		if err := measure("mix", ops, mixSchedule(names)); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// newResult turns one operation's statistics into a report row. dbCommands
// is the change of the server's database command count over the run, nil
// when unknown (or not attributable to this operation alone).
func newResult(phase, op string, st opStats, elapsed time.Duration, dbCommands *float64) Result {
	r := Result{
		Phase: phase, Op: op, Requests: st.requests, Errors: st.errors, FirstError: st.firstError,
		Seconds: elapsed.Seconds(),
		P50Ms:   ms(percentile(st.latencies, 50)), P90Ms: ms(percentile(st.latencies, 90)),
		P99Ms: ms(percentile(st.latencies, 99)), MaxMs: ms(percentile(st.latencies, 100)),
	}
	if elapsed > 0 {
		r.RPS = float64(st.requests) / elapsed.Seconds()
	}
	if dbCommands != nil && st.requests > 0 {
		per := *dbCommands / float64(st.requests)
		r.DBCommandsPerRequest = &per
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
