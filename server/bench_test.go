package main

import (
	"fmt"
	"testing"

	"github.com/finder-platform/finder/graph/graphtest"
)

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
	for _, extra := range []int{0, 1000} {
		b.Run(fmt.Sprintf("roles=+%d", extra), func(b *testing.B) {
			a := benchApp(b, extra, "FINDER_READ_FROM", "store", "FINDER_LOADER_WAIT", "2ms", "FINDER_RESPONSE_CACHE_MB", "0")
			commands := a.metrics.DBCommands()
			graphtest.ServeRepeatedly(b, a.edge, graphtest.RolePageQuery, map[string]any{"slug": "back-end-developer"})
			b.ReportMetric(float64(a.metrics.DBCommands()-commands)/float64(b.N), "db-commands/op")
		})
	}
}
