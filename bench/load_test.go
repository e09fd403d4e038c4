package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPercentileOnKnownData(t *testing.T) {
	var data []time.Duration
	for i := 1; i <= 100; i++ {
		data = append(data, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {90, 90 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0.5, time.Millisecond}} {
		if got := percentile(data, tc.p); got != tc.want {
			t.Errorf("p%g of 1..100ms = %v, want %v", tc.p, got, tc.want)
		}
	}
	// Nearest rank: with 10 values, p99 is the largest and p50 the fifth.
	ten := data[:10]
	if got := percentile(ten, 99); got != 10*time.Millisecond {
		t.Errorf("p99 of 1..10ms = %v", got)
	}
	if got := percentile(ten, 50); got != 5*time.Millisecond {
		t.Errorf("p50 of 1..10ms = %v", got)
	}
	if got := percentile([]time.Duration{7}, 90); got != 7 {
		t.Errorf("p90 of one value = %v", got)
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
}

func TestMixScheduleFollowsTheWeights(t *testing.T) {
	s := mixSchedule(opNames)
	if len(s) != 100 {
		t.Fatalf("%d slots, want 100", len(s))
	}
	count := map[string]int{}
	for _, i := range s {
		count[opNames[i]]++
	}
	for name, w := range mixWeights {
		if count[name] != w {
			t.Errorf("%s has %d slots, want %d", name, count[name], w)
		}
	}
	if !equalInts(s, mixSchedule(opNames)) {
		t.Error("the schedule differs between calls")
	}
	// Without some operations, the others keep their proportions.
	s = mixSchedule([]string{"card", "tool"})
	count = map[string]int{}
	for _, i := range s {
		count[[]string{"card", "tool"}[i]]++
	}
	if count["card"] != 80 || count["tool"] != 20 {
		t.Errorf("card and tool: %v", count)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDiscoverPagesThroughTheCatalog(t *testing.T) {
	f := newFakeAPI(t, 130, 250, 0)
	srv := f.start()
	c := newClient(srv.URL, 1)
	defer c.close()
	plan, err := discover(context.Background(), c.fetch, PlanConfig{MaxSlugs: 120, MaxTools: 300, MaxPages: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"card": 120, "page": 120, "scan": 3, "search": len(searchTerms), "tool": 250}
	for name, n := range want {
		if got := len(plan.op(name).Requests); got != n {
			t.Errorf("%s: %d requests, want %d", name, got, n)
		}
	}
	card := plan.op("card").Requests[0]
	if card.Method != "GET" || !strings.HasPrefix(card.Target, "/graphql?query=query+RoleCard") || !strings.Contains(card.Target, "variables=") {
		t.Errorf("card request: %s %s", card.Method, card.Target)
	}
	var body map[string]any
	if err := json.Unmarshal(plan.op("scan").Requests[1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["query"] != roleScanQuery || body["variables"].(map[string]any)["after"] != "49" {
		t.Errorf("second scan page: %v", body)
	}
	// The same catalog gives the same plan, byte for byte.
	again, err := discover(context.Background(), c.fetch, PlanConfig{MaxSlugs: 120, MaxTools: 300, MaxPages: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range plan.requests() {
		if a := again.requests()[i]; a.Target != r.Target || !bytes.Equal(a.Body, r.Body) {
			t.Fatalf("request %d differs", i)
		}
	}
}

// TestLoadAgainstAFakeServer runs every operation alone and mixed for a
// fraction of a second each, and checks the counts, errors and database
// commands per request.
func TestLoadAgainstAFakeServer(t *testing.T) {
	f := newFakeAPI(t, 60, 30, 0)
	srv := f.start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := load(ctx, LoadConfig{
		URL: srv.URL, Concurrency: 4, Duration: 150 * time.Millisecond, Warmup: 20 * time.Millisecond,
		Grace: 5 * time.Second, Ops: opNames, Alone: true, Mix: true, Plan: defaultPlanConfig,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != len(opNames)+len(opNames)+1 {
		t.Fatalf("%d results", len(rep.Results))
	}
	for _, r := range rep.Results {
		if r.Requests == 0 || r.RPS <= 0 || r.Errors != 0 || r.P50Ms <= 0 || r.P50Ms > r.P99Ms || r.P99Ms > r.MaxMs {
			t.Errorf("%s: %+v", r.name(), r)
		}
		switch {
		case r.Phase == "alone" || r.Op == "all":
			if r.DBCommandsPerRequest == nil || *r.DBCommandsPerRequest != 3 {
				t.Errorf("%s: db commands per request %v, want 3", r.name(), r.DBCommandsPerRequest)
			}
		case r.DBCommandsPerRequest != nil:
			t.Errorf("%s: db commands per request in the mix", r.name())
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, op := range []string{"RoleCard", "RolePage", "RoleScan", "Search", "ToolRoles"} {
		if f.ops[op] == 0 {
			t.Errorf("the server saw no %s", op)
		}
	}
}

// TestLoadMixAlone runs the mix without the operations alone first, as
// run.sh does after measuring each operation beside the ceiling.
func TestLoadMixAlone(t *testing.T) {
	srv := newFakeAPI(t, 10, 10, 0).start()
	rep, err := load(context.Background(), LoadConfig{
		URL: srv.URL, Concurrency: 2, Duration: 100 * time.Millisecond, Grace: 5 * time.Second,
		Ops: opNames, Mix: true, Plan: defaultPlanConfig,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != len(opNames)+1 {
		t.Fatalf("%d results, want the mix's %d", len(rep.Results), len(opNames)+1)
	}
	for _, r := range rep.Results {
		if r.Phase != "mix" {
			t.Errorf("an operation ran alone: %s", r.name())
		}
	}
}

func TestLoadCountsErrors(t *testing.T) {
	f := newFakeAPI(t, 3, 3, 0)
	f.roles = append(f.roles, roleTitle{Slug: "broken", Title: "Broken"})
	srv := f.start()
	rep, err := load(context.Background(), LoadConfig{
		URL: srv.URL, Concurrency: 2, Duration: 100 * time.Millisecond, Grace: 5 * time.Second,
		Ops: []string{"page"}, Alone: true, Plan: defaultPlanConfig,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Errors == 0 || r.Errors >= r.Requests || !strings.Contains(r.FirstError, "broken on purpose") {
		t.Errorf("errors %d of %d, first %q", r.Errors, r.Requests, r.FirstError)
	}
}

// TestCeilingReplaysTheServer records the fake server, serves the
// recording, and runs a load against it: every request must be found.
func TestCeilingReplaysTheServer(t *testing.T) {
	f := newFakeAPI(t, 60, 30, 0)
	srv := f.start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addrFile := filepath.Join(t.TempDir(), "addr")
	done := make(chan error, 1)
	go func() { done <- serveCeiling(ctx, "127.0.0.1:0", srv.URL, addrFile, defaultPlanConfig, io.Discard) }()
	var addr []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(addrFile); err == nil {
			addr = bytes.TrimSpace(b)
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the ceiling stopped: %v", err)
		default:
		}
	}
	if len(addr) == 0 {
		t.Fatal("the ceiling did not start")
	}
	f.mu.Lock()
	before := f.requests
	f.mu.Unlock()

	rep, err := load(ctx, LoadConfig{
		URL: "http://" + string(addr), Concurrency: 4, Duration: 100 * time.Millisecond,
		Grace: 5 * time.Second, Ops: opNames, Alone: true, Plan: defaultPlanConfig,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Requests == 0 || r.Errors != 0 || r.DBCommandsPerRequest != nil {
			t.Errorf("%s: %+v", r.name(), r)
		}
	}
	f.mu.Lock()
	after := f.requests
	f.mu.Unlock()
	if after != before {
		t.Errorf("the load reached the server %d times", after-before)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the ceiling: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the ceiling did not stop")
	}
}

// TestLoadGivesUpOnASlowServer: a request still running at the end of the
// run plus the grace is an error, and the run ends in time.
func TestLoadGivesUpOnASlowServer(t *testing.T) {
	f := newFakeAPI(t, 3, 3, 0)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "RoleCard") {
			time.Sleep(time.Second)
		}
		f.ServeHTTP(w, r)
	}))
	defer slow.Close()
	start := time.Now()
	rep, err := load(context.Background(), LoadConfig{
		URL: slow.URL, Concurrency: 2, Duration: 100 * time.Millisecond, Grace: 100 * time.Millisecond,
		Ops: []string{"card"}, Alone: true, Plan: defaultPlanConfig,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 900*time.Millisecond {
		t.Errorf("the run took %v", took)
	}
	r := rep.Results[0]
	if r.Requests != 2 || r.Errors != 2 || !strings.Contains(r.FirstError, "no answer by the end of the run plus -grace (100ms)") {
		t.Errorf("%d requests, %d errors, first %q", r.Requests, r.Errors, r.FirstError)
	}
}
