package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finder-platform/finder/gcpace"
)

// syncBuffer is a log that the test reads while run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startRun runs the server as main does, on a free loopback port, and
// returns its address and a function that stops it and returns run's error.
func startRun(t *testing.T, env map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	env["FINDER_ADDR"] = "127.0.0.1:0"
	env["FINDER_LOG_LEVEL"] = "info"
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, logs) }()
	var addr string
	waitFor(t, 60*time.Second, "the server to listen", func() bool {
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, logs)
		default:
		}
		// Listening comes first; the app is ready once it has the store.
		if m := listening.FindStringSubmatch(logs.String()); m != nil && strings.Contains(logs.String(), "msg=ready") {
			addr = m[1]
		}
		return addr != ""
	})
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("run did not return after its context ended")
			return nil
		}
	}
	return "http://" + addr, logs, stop
}

// TestRunServesAndStops starts the server with the embedded store, as
// `go run ./server` does, checks every operational endpoint, and stops it.
func TestRunServesAndStops(t *testing.T) {
	env := map[string]string{"FINDER_DATA_DIR": t.TempDir()}
	url, logs, stop := startRun(t, env)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/graphiql": 200, "/nowhere": 404} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
		if path == "/metrics" && !strings.Contains(string(body), `finder_db_commands_total{command="insert"}`) {
			t.Errorf("/metrics does not count the seeding's inserts:\n%.500s", body)
		}
	}
	var got struct{ Role struct{ Title string } }
	post(t, url, `{ role(slug: "back-end-developer") { title } }`, nil).Decode(t, &got)
	if got.Role.Title != "Back-End Developer" {
		t.Errorf("role title = %q", got.Role.Title)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	for _, line := range []string{"embedded store started", "catalog seeded", "shutting down", "stopped"} {
		if !strings.Contains(logs.String(), line) {
			t.Errorf("log lacks %q:\n%s", line, logs)
		}
	}

	// A second start on the same data seeds nothing and serves the same.
	url, logs, stop = startRun(t, env)
	post(t, url, `{ role(slug: "back-end-developer") { title } }`, nil).Decode(t, &got)
	if err := stop(); err != nil || got.Role.Title != "Back-End Developer" || strings.Contains(logs.String(), "catalog seeded") {
		t.Errorf("second start: run = %v, title %q, log:\n%s", err, got.Role.Title, logs)
	}
}

func TestRunRefusesABadSetting(t *testing.T) {
	err := run(context.Background(), nil, func(k string) string {
		if k == "FINDER_SEED" {
			return "maybe"
		}
		return ""
	}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "FINDER_SEED") {
		t.Errorf("run = %v, want an error naming FINDER_SEED", err)
	}
}

// TestRunPacesTheCollectorUnlessGOGCIsSet checks that run raises GOGC for
// the server's small heap (package gcpace), and leaves it alone when the
// environment sets GOGC.
func TestRunPacesTheCollectorUnlessGOGCIsSet(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	_, _, stop := startRun(t, map[string]string{"FINDER_DATA_DIR": t.TempDir(), "GOGC": "100"})
	time.Sleep(1500 * time.Millisecond) // the pacer would have adjusted by now
	if got := gcpace.GOGC(); got != 100 {
		t.Errorf("with GOGC=100 set, GOGC became %d", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	_, _, stop = startRun(t, map[string]string{"FINDER_DATA_DIR": t.TempDir()})
	defer stop()
	waitFor(t, 10*time.Second, "GOGC above 100", func() bool { return gcpace.GOGC() > 100 })
}
