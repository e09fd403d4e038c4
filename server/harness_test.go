package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/graph/graphtest"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest/testserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range slices.Backward(sharedCleanups) {
		f()
	}
	testserver.Stop()
	if binDir != "" {
		os.RemoveAll(binDir) // the binaries procs_test.go built
	}
	os.Exit(code)
}

// sharedCleanups are the cleanups of apps shared by a package's tests (the
// fuzz target's), run by TestMain once every test is done.
var sharedCleanups []func()

// sharedT defers a shared app's cleanups to the end of the package's tests,
// past the test that happened to start it.
type sharedT struct{ *testing.T }

func (s *sharedT) Cleanup(f func()) { sharedCleanups = append(sharedCleanups, f) }

// testEnv is the environment of a test server: the store under test, a
// fresh database, and a loader wait long enough that a busy test machine
// still gathers each level of a query into one batch.
func testEnv(t testing.TB, extra ...string) map[string]string {
	env := map[string]string{
		"MONGODB_URI":        testserver.URI(t),
		"MONGODB_DATABASE":   testserver.DatabaseName(),
		"FINDER_LOADER_WAIT": "20ms",
		"FINDER_LOG_LEVEL":   "warn",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// newTestApp opens the app as run does, with the log kept for the test,
// and drops its database when the test ends.
func newTestApp(t testing.TB, env map[string]string) (*app, *syncBuffer) {
	t.Helper()
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	a, err := openApp(context.Background(), cfg, &logs)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() {
		// The background loops stop before the database goes: SQLite
		// faults (SIGBUS) reading a file dropped under it.
		a.stopLoops()
		_ = a.store.Drop(context.Background())
		a.close(context.Background())
	})
	return a, &logs
}

// newTestServer serves a fresh app over real HTTP on loopback.
func newTestServer(t testing.TB, env map[string]string) (*app, *httptest.Server) {
	t.Helper()
	a, _ := newTestApp(t, env)
	srv := httptest.NewServer(a.edge)
	t.Cleanup(srv.Close)
	return a, srv
}

// seedGenerated seeds an unseeded app with the catalog plus n generated roles.
func seedGenerated(t testing.TB, a *app, n int) *catalog.Catalog {
	t.Helper()
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.Generate(base, n, 1)
	if _, err := a.store.Seed(context.Background(), store.SeedData(*cat)); err != nil {
		t.Fatal(err)
	}
	return cat
}

// gqlResponse is a GraphQL answer, as the tests' client reads it.
type gqlResponse = graphtest.Response

// post sends a query over POST /graphql without a key.
func post(t testing.TB, url, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return graphtest.Post(t, url, "", query, vars)
}

// dbCommands reads finder_db_commands_total, summed over commands, from
// the server's own /metrics. It leaves out ping: the instance pings the
// store every second for /readyz, and no request causes it.
func dbCommands(t testing.TB, url string) int {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	total := 0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "finder_db_commands_total{") || strings.Contains(line, `command="ping"`) {
			continue
		}
		n, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			t.Fatal(err)
		}
		total += int(n)
	}
	return total
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func ioCopy(w io.Writer, resp *http.Response) (int64, error) { return io.Copy(w, resp.Body) }

// httpTestServer serves an app over real HTTP on loopback and returns its URL.
func httpTestServer(t testing.TB, a *app) string {
	t.Helper()
	srv := httptest.NewServer(a.edge)
	t.Cleanup(srv.Close)
	return srv.URL
}
