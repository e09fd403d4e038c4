package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// These tests do to the platform what production does: the store goes
// away and comes back, the server starts first, it is stopped and killed
// under load. Store and server run as processes of their own.

// ready waits for /readyz to answer want, and returns how long it took.
func readyIs(t *testing.T, url string, want int, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	client := &http.Client{Timeout: time.Second}
	waitFor(t, within, fmt.Sprintf("/readyz to answer %d", want), func() bool {
		resp, err := client.Get(url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == want
	})
	return time.Since(start)
}

// freeAddr returns a loopback address nothing listens on yet.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// creator makes tools with new slugs through the API, one after another,
// and records which were acknowledged and which refused.
type creator struct {
	url  string
	mu   sync.Mutex
	acks []string
	errs []string
	n    atomic.Int64
}

func (c *creator) run(t *testing.T, stop <-chan struct{}, id int) {
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		slug := fmt.Sprintf("fault-tool-%d-%d", id, i)
		body, _ := json.Marshal(map[string]any{"query": fmt.Sprintf(
			`mutation { createTool(input: {slug: %q, name: "Fault Tool %d %d", category: OTHER}) { id } }`, slug, id, i)})
		req, _ := http.NewRequest("POST", c.url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminToken)
		start := time.Now()
		resp, err := client.Do(req)
		var b strings.Builder
		if err == nil {
			_, _ = ioCopy(&b, resp)
			resp.Body.Close()
		}
		c.n.Add(1)
		c.mu.Lock()
		if err == nil && resp.StatusCode == 200 && strings.Contains(b.String(), `"createTool":{"id"`) {
			c.acks = append(c.acks, slug)
		} else {
			if len(c.errs) == 0 {
				t.Logf("first refused write: %v %s", err, b.String())
			}
			c.errs = append(c.errs, slug)
			if took := time.Since(start); err == nil && took > 2500*time.Millisecond {
				t.Errorf("a failed write took %v to fail (want under 2s): %s", took, b.String())
			}
		}
		c.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
}

// toolExists asks the server whether a tool is in the catalog.
func toolExists(t *testing.T, url, slug string) bool {
	var got struct{ Tool *struct{ Slug string } }
	post(t, url, fmt.Sprintf(`{ tool(slug: %q) { slug } }`, slug), nil).Decode(t, &got)
	return got.Tool != nil
}

// TestStoreGoesAwayAndComesBack stops the store under a load of reads and
// writes, checks the server says so and fails fast, brings the store back,
// and checks the server recovers by itself and lost or half-did nothing.
func TestStoreGoesAwayAndComesBack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	storeAddr := freeAddr(t)
	_, storeBin := binaries(t)
	store, uri := start(t, storeReady, nil, storeBin, "-dir", dir, "-addr", storeAddr)
	server, url := startServer(t, uri, "FINDER_RATE_ANONYMOUS=0", "FINDER_RATE_KEYED=0")
	readyIs(t, url, 200, 30*time.Second)
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s", tail(server.Output()))
		}
	}()

	c := &creator{url: url}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); c.run(t, stop, i) }()
	}
	time.Sleep(time.Second)

	store.stop(t, syscall.SIGKILL)
	killed := time.Now()
	t.Logf("store killed after %d writes", c.n.Load())
	notReady := readyIs(t, url, 503, 5*time.Second)
	t.Logf("/readyz said 503 %v after the store went away", notReady.Round(time.Millisecond))

	// Reads the server holds in memory still answer, saying how old they are.
	time.Sleep(3 * time.Second)
	r := post(t, url, `{ role(slug: "back-end-developer") { title } }`, nil)
	var body struct{ Role struct{ Title string } }
	r.Decode(t, &body)
	if body.Role.Title != "Back-End Developer" {
		t.Errorf("a read from memory answered %+v", r)
	}
	stale := postRaw(t, url, `{ role(slug: "back-end-developer") { title } }`)
	if !strings.Contains(stale, `"stale":true`) || !strings.Contains(stale, `"ageSeconds"`) {
		t.Errorf("an answer from memory does not say how old it is: %s", stale)
	}
	// A read that needs the store fails fast.
	asked := time.Now()
	h := postAs(t, url, adminToken, `{ apiKeys { totalCount } }`, nil)
	if took := time.Since(asked); took > 2*time.Second || (h.Status != 503 && (len(h.Errors) == 0 || h.Errors[0].Code() != "SERVICE_UNAVAILABLE")) {
		t.Errorf("a read of the store while it is away: %d %v after %v", h.Status, h.Codes(), took)
	}

	// The store comes back on the same address and files.
	time.Sleep(time.Until(killed.Add(5 * time.Second)))
	start(t, storeReady, nil, storeBin, "-dir", dir, "-addr", storeAddr)
	recovered := readyIs(t, url, 200, 15*time.Second)
	t.Logf("ready again %v after the store came back", recovered.Round(time.Millisecond))
	time.Sleep(2 * time.Second) // a few more writes, and time to undo failed ones
	close(stop)
	wg.Wait()

	c.mu.Lock()
	defer c.mu.Unlock()
	t.Logf("%d writes acknowledged, %d refused", len(c.acks), len(c.errs))
	if len(c.errs) == 0 {
		t.Fatal("no write failed: the store was not away")
	}
	waitFor(t, 10*time.Second, "failed writes to be undone", func() bool {
		for _, slug := range c.errs {
			if toolExists(t, url, slug) {
				return false
			}
		}
		return true
	})
	for _, slug := range c.acks {
		if !toolExists(t, url, slug) {
			t.Errorf("acknowledged write %s is lost", slug)
		}
	}
	// A refused write left nothing behind: its slug is free again.
	retry := postAs(t, url, adminToken, fmt.Sprintf(`mutation { createTool(input: {slug: %q, name: "Fault Tool", category: OTHER}) { id } }`, c.errs[0]), nil)
	if len(retry.Errors) > 0 && !strings.Contains(retry.Errors[0].Message, "name") {
		t.Errorf("creating a refused slug again: %+v", retry.Errors)
	}
}

// postRaw sends a query and returns the raw answer.
func postRaw(t *testing.T, url, query string) string {
	t.Helper()
	_, _, body := send(t, "POST", url+"/graphql", "application/json", "", fmt.Sprintf(`{"query":%q}`, query))
	return body
}

// TestServerStartsBeforeTheStore starts the server against a store that is
// not there yet: it answers /healthz, says 503 on /readyz and keeps trying,
// saying so in its log, and becomes ready once the store starts.
func TestServerStartsBeforeTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	storeAddr := freeAddr(t)
	server, url := startServer(t, "mongodb://"+storeAddr+"/")
	if resp, err := http.Get(url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz before the store: %v %v", resp, err)
	}
	readyIs(t, url, 503, time.Second)
	if r := post(t, url, `{ role(slug: "back-end-developer") { title } }`, nil); r.Status != 503 || r.Errors[0].Code() != "SERVICE_UNAVAILABLE" {
		t.Errorf("a query before the store: %d %v", r.Status, r.Codes())
	}
	waitFor(t, 10*time.Second, "the log to say it waits", func() bool {
		return strings.Count(server.Output(), "waiting for the store") >= 2
	})
	_, storeBin := binaries(t)
	start(t, storeReady, nil, storeBin, "-dir", t.TempDir(), "-addr", storeAddr)
	took := readyIs(t, url, 200, 30*time.Second)
	t.Logf("ready %v after the store started", took.Round(time.Millisecond))
	var got struct{ Role struct{ Title string } }
	post(t, url, `{ role(slug: "back-end-developer") { title } }`, nil).Decode(t, &got)
	if got.Role.Title != "Back-End Developer" {
		t.Errorf("after the store started: %+v", got)
	}
}

// TestStopAndCrashUnderLoad stops a server with the embedded store under
// load with SIGTERM, then restarts it and kills it with SIGKILL: each time
// the next start has every acknowledged write.
func TestStopAndCrashUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	serverBin, _ := binaries(t)
	dir := t.TempDir()
	env := []string{"FINDER_DATA_DIR=" + dir, "FINDER_ADDR=127.0.0.1:0", "FINDER_ADMIN_TOKEN=" + adminToken,
		"FINDER_SHUTDOWN_TIMEOUT=10s", "FINDER_RATE_ANONYMOUS=0", "FINDER_RATE_KEYED=0"}
	var acked []string
	for round, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		p, addr := start(t, serverReady, env, serverBin)
		url := "http://" + addr
		readyIs(t, url, 200, 60*time.Second)
		for _, slug := range acked {
			if !toolExists(t, url, slug) {
				t.Fatalf("after the %v of round %d, acknowledged write %s is lost", sig, round, slug)
			}
		}
		c := &creator{url: url}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Add(1)
			go func() { defer wg.Done(); c.run(t, stop, 100*round+i) }()
		}
		// Readers too, so requests are in flight when the signal comes.
		var readErrs atomic.Int64
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					resp, err := http.Post(url+"/graphql", "application/json", strings.NewReader(`{"query":"{ roles(first: 50) { nodes { slug tools { name } } } }"}`))
					if err != nil {
						return // the server is gone
					}
					if resp.StatusCode >= 500 && resp.StatusCode != 503 {
						readErrs.Add(1)
					}
					resp.Body.Close()
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		signalled := time.Now()
		_ = p.cmd.Process.Signal(sig)
		<-p.done
		took := time.Since(signalled)
		close(stop)
		wg.Wait()
		if sig == syscall.SIGTERM {
			code := p.cmd.ProcessState.ExitCode()
			t.Logf("SIGTERM: exited %d after %v; %d writes acknowledged", code, took.Round(time.Millisecond), len(c.acks))
			if code != 0 || took > 10*time.Second || !strings.Contains(p.Output(), "msg=stopped") {
				t.Errorf("SIGTERM: exit code %d after %v; log:\n%s", code, took, tail(p.Output()))
			}
		} else {
			t.Logf("SIGKILL: %d writes acknowledged", len(c.acks))
		}
		if n := readErrs.Load(); n > 0 {
			t.Errorf("%d reads answered with a server error", n)
		}
		acked = append(acked, c.acks...)
	}
	// The last start, after the crash, opens the same files.
	p, addr := start(t, serverReady, env, serverBin)
	url := "http://" + addr
	readyIs(t, url, 200, 60*time.Second)
	for _, slug := range acked {
		if !toolExists(t, url, slug) {
			t.Errorf("after SIGKILL, acknowledged write %s is lost", slug)
		}
	}
	t.Logf("after a stop and a crash, all %d acknowledged writes are there", len(acked))
	p.stop(t, syscall.SIGTERM)
}

func tail(s string) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// TestFiftyAcknowledgedWritesSurviveAKill sends 50 writes at once to a
// server process with the embedded store, kills it (SIGKILL) as soon as
// the last is answered, before its projector could write them all, and
// starts it again reading from the store's collections: every
// acknowledged write is there, because the start projects what the log
// has that the collections lack.
func TestFiftyAcknowledgedWritesSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	serverBin, _ := binaries(t)
	env := []string{"FINDER_DATA_DIR=" + t.TempDir(), "FINDER_ADDR=127.0.0.1:0", "FINDER_ADMIN_TOKEN=" + adminToken,
		"FINDER_RATE_ANONYMOUS=0", "FINDER_RATE_KEYED=0"}
	p, addr := start(t, serverReady, env, serverBin)
	url := "http://" + addr
	readyIs(t, url, 200, 60*time.Second)
	var roles struct {
		Roles struct{ Nodes []struct{ Slug string } }
	}
	post(t, url, `{ roles(first: 26) { nodes { slug } } }`, nil).Decode(t, &roles)
	answers := all([]string{url}, 50, func(i int, url string) gqlResponse {
		if i%2 == 0 {
			return postAs(t, url, adminToken, fmt.Sprintf(`mutation { createTool(input: {slug: "killed-tool-%d", name: "Killed Tool %d", category: OTHER}) { id } }`, i, i), nil)
		}
		return postAs(t, url, adminToken, `mutation($to: String!) { relateRoles(from: "technical-writer", to: $to, kind: COLLABORATES_WITH, note: "Before the kill.") { kind } }`,
			map[string]any{"to": roles.Roles.Nodes[i/2].Slug})
	})
	p.stop(t, syscall.SIGKILL)
	acked := 0
	for _, a := range answers {
		if len(a.Errors) == 0 {
			acked++
		}
	}
	if acked != 50 {
		t.Fatalf("%d of 50 writes were acknowledged before the kill", acked)
	}

	p, addr = start(t, serverReady, append(env, "FINDER_READ_FROM=store"), serverBin)
	url = "http://" + addr
	readyIs(t, url, 200, 60*time.Second)
	if m := regexp.MustCompile(`projecting the change log" from=(\d+)`).FindStringSubmatch(p.Output()); m != nil {
		t.Logf("the restart projected the log from change %s on (51 changes were committed)", m[1])
	}
	for i := 0; i < 50; i += 2 {
		if !toolExists(t, url, fmt.Sprintf("killed-tool-%d", i)) {
			t.Errorf("the acknowledged tool killed-tool-%d is not in the collections after the restart", i)
		}
	}
	var writer struct {
		Role struct {
			RelatedRoles []struct{ Role struct{ Slug string } }
		}
	}
	post(t, url, `{ role(slug: "technical-writer") { relatedRoles { role { slug } } } }`, nil).Decode(t, &writer)
	linked := map[string]bool{}
	for _, r := range writer.Role.RelatedRoles {
		linked[r.Role.Slug] = true
	}
	for i := 1; i < 50; i += 2 {
		if slug := roles.Roles.Nodes[i/2].Slug; !linked[slug] {
			t.Errorf("the acknowledged link to %s is not in the collections after the restart", slug)
		}
	}
}
