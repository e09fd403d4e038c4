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

// BenchmarkRolePage serves the role page through the real HTTP handler and
// store, on the shipped catalog and on catalogs grown with generated roles.
// It reports database commands per request beside time and allocations:
//
//	go test ./server -run '^$' -bench RolePage -benchmem
func BenchmarkRolePage(b *testing.B) {
	for _, extra := range []int{0, 1000} {
		b.Run(fmt.Sprintf("roles=+%d", extra), func(b *testing.B) {
			a, _ := newTestApp(b, testEnv(b, "FINDER_SEED", "false", "FINDER_LOADER_WAIT", "2ms"))
			seedGenerated(b, a, extra)
			h := a.routes()
			body, _ := json.Marshal(map[string]any{"query": rolePageQuery, "variables": map[string]any{"slug": "back-end-developer"}})
			commands := a.metrics.dbCommandsTotal()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
			b.ReportMetric(float64(a.metrics.dbCommandsTotal()-commands)/float64(b.N), "db-commands/op")
		})
	}
}
