package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// rolePageQuery is what the web client asks for a role page: every section,
// and the related roles with their tools.
const rolePageQuery = `query($slug: String!) { role(slug: $slug) {
	title tagline description skills responsibilities
	toolGroups { label tools { slug name } }
	advantages disadvantages goodFit conclusion
	salary { currency period min median max source sourceUrl year }
	learningResources { title provider url kind free }
	relatedRoles { kind note role { slug title tagline tools { slug name } } } } }`

// benchApp is an app on the shipped catalog plus extra generated roles,
// with the settings env adds (name, value, ...), without rate limits or
// an access log.
func benchApp(b *testing.B, extra int, env ...string) *app {
	b.Helper()
	a, _ := newTestApp(b, testEnv(b, append([]string{"FINDER_SEED", "false", "FINDER_RATE_ANONYMOUS", "0",
		"FINDER_ACCESS_LOG", "false", "FINDER_SYNC_INTERVAL", "1m"}, env...)...))
	seedGenerated(b, a, extra)
	if err := a.replica.CatchUp(b.Context()); err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkRolePageFromStore serves the role page through the whole
// server with every read sent to the store (FINDER_READ_FROM=store), on
// the shipped catalog and on 1,000 more roles, and reports the database
// commands a request costs. The edge's benchmarks time the same page read
// from memory.
//
//	go test ./server -run '^$' -bench RolePageFromStore -benchmem
func BenchmarkRolePageFromStore(b *testing.B) {
	body, _ := json.Marshal(map[string]any{"query": rolePageQuery, "variables": map[string]any{"slug": "back-end-developer"}})
	for _, extra := range []int{0, 1000} {
		b.Run(fmt.Sprintf("roles=+%d", extra), func(b *testing.B) {
			a := benchApp(b, extra, "FINDER_READ_FROM", "store", "FINDER_LOADER_WAIT", "2ms", "FINDER_RESPONSE_CACHE_MB", "0")
			commands := a.metrics.DBCommands()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				a.edge.ServeHTTP(w, req)
				if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
			b.ReportMetric(float64(a.metrics.DBCommands()-commands)/float64(b.N), "db-commands/op")
		})
	}
}
