package edge

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/finder-platform/finder/graph"
	"github.com/finder-platform/finder/graph/graphtest"
)

// The edge's benchmarks serve the catalog from memory through the whole
// handler (every layer a request passes, the access log included, written
// to nowhere), as an instance does with FINDER_READ_FROM=memory. What
// reads cost from the store is server/'s BenchmarkRolePageFromStore.

// quiet sends the logs nowhere; with noCache, every request is computed
// afresh.
func quiet(d *Deps) {
	d.Logger = slog.New(slog.DiscardHandler)
	d.AccessLog = io.Discard // still formatted, as in production
}

func noCache(d *Deps) {
	quiet(d)
	d.Cache = nil
}

// BenchmarkRoleCard is a partner's role card as partners send it, a GET
// the response cache answers, through every layer a request passes, the
// access log included: what a repeated card costs besides the network.
//
//	go test ./edge -run '^$' -bench RoleCard -benchmem
func BenchmarkRoleCard(b *testing.B) {
	te := newTestEdge(b, 0, quiet)
	target := "/graphql?" + url.Values{
		"query":     {`query RoleCard($slug: String!) { role(slug: $slug) { slug title tagline skills tools { name } } }`},
		"variables": {`{"slug":"back-end-developer"}`},
	}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		te.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	if _, misses := te.cache.Stats(); misses > 1 {
		b.Fatalf("%d cache misses; the card should be computed once", misses)
	}
}

// BenchmarkRolePage is the role page computed afresh, and from the
// response cache, on the shipped catalog and on 1,000 more roles.
func BenchmarkRolePage(b *testing.B) {
	for _, extra := range []int{0, 1000} {
		for name, edit := range map[string]func(*Deps){"memory": noCache, "cached": quiet} {
			b.Run(fmt.Sprintf("%s/roles=+%d", name, extra), func(b *testing.B) {
				te := newTestEdge(b, extra, edit)
				graphtest.ServeRepeatedly(b, te, graphtest.RolePageQuery, map[string]any{"slug": "back-end-developer"})
			})
		}
	}
}

// BenchmarkRolePageLimits is the role page computed afresh, with and
// without the query limits and rate limits, to show what their
// bookkeeping costs the common case.
func BenchmarkRolePageLimits(b *testing.B) {
	for _, on := range []bool{true, false} {
		b.Run(fmt.Sprintf("limits=%t", on), func(b *testing.B) {
			te := newTestEdge(b, 0, func(d *Deps) {
				noCache(d)
				d.Config.RateAnonymous = 1_000_000_000
				if !on {
					d.Config.Limits, d.Config.RateAnonymous = graph.Limits{}, 0
				}
			})
			graphtest.ServeRepeatedly(b, te, graphtest.RolePageQuery, map[string]any{"slug": "back-end-developer"})
		})
	}
}

// BenchmarkRefusedQuery is a query over the cost limit: parsed, measured
// and refused without running.
func BenchmarkRefusedQuery(b *testing.B) {
	te := newTestEdge(b, 0, quiet)
	body := []byte(`{"query":"{ roles(first: 100) { nodes { tools { roles { tools { roles { slug } } } } } } }"}`)
	graphtest.Repeat(b, te, body, func(w *httptest.ResponseRecorder) bool {
		return bytes.Contains(w.Body.Bytes(), []byte("QUERY_TOO_COMPLEX"))
	})
}

// BenchmarkInsights times each career insight, computed afresh, on the
// shipped catalog and on 10,000 more roles:
//
//	go test ./edge -run '^$' -bench Insights -benchmem -timeout 30m
func BenchmarkInsights(b *testing.B) {
	queries := map[string]string{
		"careerPath":   `{ careerPath(from: "qa-engineer", to: "cto") { totalNewTools steps { role { slug } gainTools { slug } } } }`,
		"compareRoles": `{ compareRoles(slugs: ["back-end-developer", "front-end-developer", "data-engineer", "devops-engineer"]) { sharedTools { slug } only { tools { slug } skills } } }`,
		"matchRoles":   `{ matchRoles(toolSlugs: ["python", "sql", "git", "docker"], skills: ["statistics"], first: 10) { role { slug } score } }`,
		"toolUsage":    `{ toolUsage(first: 20) { tool { slug } roleCount } }`,
		"usedWith":     `{ tool(slug: "git") { usedWith(first: 10) { tool { slug } roleCount } } }`,
	}
	for _, extra := range []int{0, 10000} {
		te := newTestEdge(b, extra, func(d *Deps) {
			noCache(d)
			d.Config.Limits.MaxCost = 10_000_000
		})
		for _, name := range []string{"careerPath", "compareRoles", "matchRoles", "toolUsage", "usedWith"} {
			b.Run(fmt.Sprintf("%s/roles=+%d", name, extra), func(b *testing.B) {
				graphtest.ServeRepeatedly(b, te, queries[name], nil)
			})
		}
	}
}

// BenchmarkSearch times searches computed afresh: a word found in many
// roles' text, a title prefix, and a word found nowhere, through search
// and through the roles list's text filter with its total, on the shipped
// catalog and on 10,000 more roles:
//
//	go test ./edge -run '^$' -bench Search -benchmem -timeout 30m
func BenchmarkSearch(b *testing.B) {
	queries := []struct{ name, text string }{{"common", "data"}, {"title", "back end"}, {"nowhere", "zzqx"}}
	for _, extra := range []int{0, 10000} {
		te := newTestEdge(b, extra, noCache)
		for _, q := range queries {
			b.Run(fmt.Sprintf("search/%s/roles=+%d", q.name, extra), func(b *testing.B) {
				graphtest.ServeRepeatedly(b, te, fmt.Sprintf(`{ search(query: %q, first: 10) { __typename ... on Role { slug } ... on Tool { slug } ... on LearningResource { slug } } }`, q.text), nil)
			})
			b.Run(fmt.Sprintf("roles/%s/roles=+%d", q.name, extra), func(b *testing.B) {
				graphtest.ServeRepeatedly(b, te, fmt.Sprintf(`{ roles(first: 20, filter: {text: %q}) { totalCount nodes { slug } } }`, q.text), nil)
			})
		}
	}
}
