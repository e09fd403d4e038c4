package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/finder-platform/finder/graph/graphtest"
)

var soak = flag.Duration("soak", 0, "run TestSoak for this long (at least 2m: it compares the first minute with the last); 0 skips it")

// soakStats gathers one minute's answers.
type soakStats struct {
	mu        sync.Mutex
	latencies []time.Duration
	reads     []time.Duration // reads only: writes wait on the store
	errors5xx int
	failures  int // transport errors and GraphQL errors other than expected conflicts
	requests  int
}

func (s *soakStats) add(d time.Duration, status int, failed, read bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	s.latencies = append(s.latencies, d)
	if read {
		s.reads = append(s.reads, d)
	}
	if status >= 500 {
		s.errors5xx++
	}
	if failed {
		s.failures++
	}
}

// p99 returns the 99th percentile of all answers and of reads.
func (s *soakStats) p99() (all, reads time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return percentile(s.latencies, 99), percentile(s.reads, 99)
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	l := slices.Clone(d)
	slices.Sort(l)
	return l[len(l)*p/100]
}

// processFigures reads the server's goroutines and memory from /metrics:
// the heap that the last collection found live (the heap in use swings by
// the collector's headroom, package gcpace), and the resident set.
func processFigures(t *testing.T, url string) (goroutines, heapMB, rssMB float64) {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, _ := strconv.ParseFloat(value, 64)
		switch name {
		case "go_goroutines":
			goroutines = v
		case "go_gc_heap_live_bytes":
			heapMB = v / (1 << 20)
		case "process_resident_memory_bytes":
			rssMB = v / (1 << 20)
		}
	}
	if heapMB == 0 {
		t.Fatal("/metrics lacks go_gc_heap_live_bytes")
	}
	return goroutines, heapMB, rssMB
}

// TestSoak runs a steady mix of reads, searches and writes from many
// clients against a server process with the embedded store, and compares
// its first minute with its last: no 5xx, no growth of goroutines or
// memory, a stable p99. It compares minutes, so it wants the machine to
// itself: CI runs it on its own after the other tests,
//
//	go test ./server -run TestSoak -soak 2m -v
//
// and a longer -soak soaks longer.
func TestSoak(t *testing.T) {
	if *soak == 0 {
		t.Skip("a soak takes minutes and the machine to itself: run it with -soak 2m")
	}
	duration := max(*soak, 2*time.Minute)
	serverBin, _ := binaries(t)
	env := []string{"FINDER_DATA_DIR=" + t.TempDir(), "FINDER_ADDR=127.0.0.1:0", "FINDER_ADMIN_TOKEN=" + adminToken,
		"FINDER_RATE_ANONYMOUS=0", "FINDER_RATE_KEYED=0", "FINDER_ACCESS_LOG=false"}
	p, addr := start(t, serverReady, env, serverBin)
	url := "http://" + addr
	readyIs(t, url, 200, 60*time.Second)
	var id struct{ Role struct{ ID string } }
	post(t, url, `{ role(slug: "data-analyst") { id } }`, nil).Decode(t, &id)

	// The clients' operations, each at a steady rate.
	// Each operation is sent by several clients, together once every
	// `every`: 36 clients in all, about 200 requests a second.
	type op struct {
		name    string
		read    bool
		clients int
		every   time.Duration
		send    func(client, i int) (*http.Request, bool) // the request, and whether a CONFLICT is expected now and then
	}
	postBody := func(query string, vars map[string]any, key string) *http.Request {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest("POST", url+"/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		return req
	}
	slugs := []string{"back-end-developer", "data-scientist", "ux-designer", "devops-engineer", "security-engineer", "product-manager"}
	terms := []string{"data", "cloud", "backend", "design", "python", "test"}
	ops := []op{
		{"card", true, 8, 10 * time.Millisecond, func(c, i int) (*http.Request, bool) {
			req, _ := http.NewRequest("GET", url+"/graphql?query="+neturl.QueryEscape(
				fmt.Sprintf(`{ role(slug: %q) { title tagline tools { name } } }`, slugs[(c+i)%len(slugs)])), nil)
			return req, false
		}},
		{"page", true, 8, 20 * time.Millisecond, func(c, i int) (*http.Request, bool) {
			return postBody(graphtest.RolePageQuery, map[string]any{"slug": slugs[(c+i)%len(slugs)]}, ""), false
		}},
		{"search", true, 8, 25 * time.Millisecond, func(c, i int) (*http.Request, bool) {
			return postBody(`query($q: String!) { search(query: $q) { __typename } }`, map[string]any{"q": terms[(c+i)%len(terms)]}, ""), false
		}},
		{"scan", true, 8, 100 * time.Millisecond, func(int, int) (*http.Request, bool) {
			return postBody(`{ roles(first: 50) { nodes { slug tools { name } relatedRoles { kind } } } }`, nil, ""), false
		}},
		{"create and delete a tool", false, 2, 400 * time.Millisecond, func(c, i int) (*http.Request, bool) {
			slug := fmt.Sprintf("soak-tool-%d-%d", c, i/2)
			if i%2 == 0 {
				return postBody(fmt.Sprintf(`mutation { createTool(input: {slug: %q, name: "Soak Tool %d %d", category: OTHER}) { id } }`, slug, c, i/2), nil, adminToken), false
			}
			var tool struct{ Tool struct{ ID string } }
			post(t, url, fmt.Sprintf(`{ tool(slug: %q) { id } }`, slug), nil).Decode(t, &tool)
			return postBody(`mutation($id: ID!) { deleteTool(id: $id) }`, map[string]any{"id": tool.Tool.ID}, adminToken), false
		}},
		{"update a role", false, 2, time.Second, func(_, i int) (*http.Request, bool) {
			var cur struct{ Role struct{ Version int } }
			post(t, url, `{ role(slug: "data-analyst") { version } }`, nil).Decode(t, &cur)
			in := newRole("data-analyst")
			in["title"] = fmt.Sprintf("Data Analyst %d", i%2)
			return postBody(`mutation($id: ID!, $in: RoleInput!, $v: Int!) { updateRole(id: $id, input: $in, expectedVersion: $v) { version } }`,
				map[string]any{"id": id.Role.ID, "in": in, "v": cur.Role.Version}, adminToken), true
		}},
	}

	var current atomic.Pointer[soakStats]
	current.Store(&soakStats{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Every client keeps its connection, as a browser or a partner's proxy
	// would: the server's goroutines then count requests, not dials.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, o := range ops {
		for c := range o.clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(o.every * time.Duration(c)) // spread the clients over the period
				tick := time.NewTicker(o.every * time.Duration(o.clients))
				defer tick.Stop()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					req, conflictsOK := o.send(c, i)
					start := time.Now()
					resp, err := client.Do(req)
					took := time.Since(start)
					status, failed := 0, err != nil
					if err == nil {
						var body bytes.Buffer
						_, _ = body.ReadFrom(resp.Body)
						resp.Body.Close()
						status = resp.StatusCode
						failed = status != 200 || (strings.Contains(body.String(), `"errors"`) &&
							!(conflictsOK && strings.Contains(body.String(), "CONFLICT")))
						if failed && current.Load().failures < 3 {
							t.Logf("%s failed: %d %.300s", o.name, status, body.String())
						}
					}
					current.Load().add(took, status, failed, o.read)
				}
			}()
		}
	}

	var minutes []*soakStats
	var figures [][3]float64
	deadline := time.Now().Add(duration)
	for time.Now().Before(deadline) {
		time.Sleep(min(time.Minute, time.Until(deadline)))
		minutes = append(minutes, current.Swap(&soakStats{}))
		g, heap, rss := processFigures(t, url)
		figures = append(figures, [3]float64{g, heap, rss})
		m := minutes[len(minutes)-1]
		all, reads := m.p99()
		t.Logf("minute %d: %d requests, p99 %v (reads %v), %d 5xx, %d failed; %.0f goroutines, live heap %.1f MB, RSS %.1f MB",
			len(minutes), m.requests, all.Round(100*time.Microsecond), reads.Round(100*time.Microsecond), m.errors5xx, m.failures, g, heap, rss)
	}
	close(stop)
	wg.Wait()
	p.stop(t, syscall.SIGTERM)

	first, last := minutes[0], minutes[len(minutes)-1]
	f0, fn := figures[0], figures[len(figures)-1]
	for i, m := range minutes {
		if m.errors5xx > 0 || m.failures > 0 {
			t.Errorf("minute %d: %d answers were 5xx and %d failed", i+1, m.errors5xx, m.failures)
		}
	}
	if fn[0] > f0[0]+20 {
		t.Errorf("goroutines grew from %.0f to %.0f", f0[0], fn[0])
	}
	if fn[1] > f0[1]*1.5+10 {
		t.Errorf("live heap grew from %.1f MB to %.1f MB", f0[1], fn[1])
	}
	firstAll, firstReads := first.p99()
	lastAll, lastReads := last.p99()
	if lastAll > 2*firstAll+5*time.Millisecond || lastReads > 2*firstReads+5*time.Millisecond {
		t.Errorf("p99 grew from %v (reads %v) in the first minute to %v (reads %v) in the last", firstAll, firstReads, lastAll, lastReads)
	}
}
