package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// benchServer is an app on a catalog grown by extra generated roles, with
// settings edited by the caller before its routes are built.
func benchServer(b *testing.B, extra int, env map[string]string, edit func(*config)) (*app, http.Handler) {
	b.Helper()
	env["FINDER_SEED"] = "false"
	a, _ := newTestApp(b, env)
	seedGenerated(b, a, extra)
	if err := a.replica.CatchUp(b.Context()); err != nil {
		b.Fatal(err)
	}
	if edit != nil {
		edit(&a.cfg)
	}
	return a, a.routes()
}

// serveRepeatedly serves one request b.N times and reports database commands per request.
func serveRepeatedly(b *testing.B, a *app, h http.Handler, query string, vars map[string]any) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
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
}

// BenchmarkRolePage serves the role page through the real HTTP handler,
// on the shipped catalog and on one grown with generated roles:
//
//	go test ./server -run '^$' -bench RolePage -benchmem
//
// store: every request reads the store (FINDER_READ_FROM=store);
// memory: the replica answers, without the response cache;
// cached: the default, the response cache answers repeats.
func BenchmarkRolePage(b *testing.B) {
	vars := map[string]any{"slug": "back-end-developer"}
	for _, extra := range []int{0, 1000} {
		for _, mode := range []struct {
			name string
			env  map[string]string
		}{
			{"store", map[string]string{"FINDER_READ_FROM": "store", "FINDER_LOADER_WAIT": "2ms"}},
			{"memory", map[string]string{"FINDER_RESPONSE_CACHE_MB": "0"}},
			{"cached", map[string]string{}},
		} {
			b.Run(fmt.Sprintf("%s/roles=+%d", mode.name, extra), func(b *testing.B) {
				env := testEnv(b, "FINDER_RATE_ANONYMOUS", "0", "FINDER_ACCESS_LOG", "false", "FINDER_SYNC_INTERVAL", "1m")
				for k, v := range mode.env {
					env[k] = v
				}
				a, h := benchServer(b, extra, env, nil)
				serveRepeatedly(b, a, h, rolePageQuery, vars)
			})
		}
	}
}

// BenchmarkRoleCard is a partner's role card as partners send it, a GET
// the response cache answers, through every layer a request passes, the
// access log included: what a repeated card costs besides the network.
func BenchmarkRoleCard(b *testing.B) {
	env := testEnv(b, "FINDER_RATE_ANONYMOUS", "0", "FINDER_SYNC_INTERVAL", "1m")
	a, h := benchServer(b, 0, env, nil)
	a.accessLog = slog.New(slog.NewTextHandler(io.Discard, nil))
	target := "/graphql?" + url.Values{
		"query":     {`query RoleCard($slug: String!) { role(slug: $slug) { slug title tagline skills tools { name } } }`},
		"variables": {`{"slug":"back-end-developer"}`},
	}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	if _, misses := a.cache.Stats(); misses > 1 {
		b.Fatalf("%d cache misses; the card should be computed once", misses)
	}
}

// BenchmarkRolePageLimits is the role page from memory, without the
// response cache, with and without the query limits and rate limits, to
// show what their bookkeeping costs the common case.
func BenchmarkRolePageLimits(b *testing.B) {
	for _, on := range []bool{true, false} {
		b.Run(fmt.Sprintf("limits=%t", on), func(b *testing.B) {
			env := testEnv(b, "FINDER_RESPONSE_CACHE_MB", "0", "FINDER_ACCESS_LOG", "false",
				"FINDER_RATE_ANONYMOUS", "1000000000", "FINDER_SYNC_INTERVAL", "1m")
			a, h := benchServer(b, 0, env, func(c *config) {
				if !on {
					c.MaxDepth, c.MaxCost, c.MaxAliases, c.MaxTokens, c.RateAnonymous = 0, 0, 0, 0, 0
				}
			})
			serveRepeatedly(b, a, h, rolePageQuery, map[string]any{"slug": "back-end-developer"})
		})
	}
}

// BenchmarkRefusedQuery is a query over the cost limit: parsed, measured
// and refused without running.
func BenchmarkRefusedQuery(b *testing.B) {
	env := testEnv(b, "FINDER_ACCESS_LOG", "false", "FINDER_RATE_ANONYMOUS", "0", "FINDER_SYNC_INTERVAL", "1m")
	_, h := benchServer(b, 0, env, nil)
	body := []byte(`{"query":"{ roles(first: 100) { nodes { tools { roles { tools { roles { slug } } } } } } }"}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if !bytes.Contains(w.Body.Bytes(), []byte("QUERY_TOO_COMPLEX")) {
			b.Fatalf("not refused: %s", w.Body)
		}
	}
}

// BenchmarkInsights times each career insight, computed afresh (no
// response cache), on the shipped catalog and on 10,000 more roles:
//
//	go test ./server -run '^$' -bench Insights -benchmem -timeout 30m
func BenchmarkInsights(b *testing.B) {
	queries := map[string]string{
		"careerPath":   `{ careerPath(from: "qa-engineer", to: "cto") { totalNewTools steps { role { slug } gainTools { slug } } } }`,
		"compareRoles": `{ compareRoles(slugs: ["back-end-developer", "front-end-developer", "data-engineer", "devops-engineer"]) { sharedTools { slug } only { tools { slug } skills } } }`,
		"matchRoles":   `{ matchRoles(toolSlugs: ["python", "sql", "git", "docker"], skills: ["statistics"], first: 10) { role { slug } score } }`,
		"toolUsage":    `{ toolUsage(first: 20) { tool { slug } roleCount } }`,
		"usedWith":     `{ tool(slug: "git") { usedWith(first: 10) { tool { slug } roleCount } } }`,
	}
	for _, extra := range []int{0, 10000} {
		env := testEnv(b, "FINDER_RESPONSE_CACHE_MB", "0", "FINDER_ACCESS_LOG", "false", "FINDER_RATE_ANONYMOUS", "0",
			"FINDER_SYNC_INTERVAL", "1m", "FINDER_MAX_COST", "10000000")
		a, h := benchServer(b, extra, env, nil)
		for _, name := range []string{"careerPath", "compareRoles", "matchRoles", "toolUsage", "usedWith"} {
			b.Run(fmt.Sprintf("%s/roles=+%d", name, extra), func(b *testing.B) {
				serveRepeatedly(b, a, h, queries[name], nil)
			})
		}
	}
}

// BenchmarkSearch times searches computed afresh (no response cache): a
// word found in many roles' text, a title prefix, and a word found nowhere,
// through search and through the roles list's text filter with its total,
// on the shipped catalog and on 10,000 more roles:
//
//	go test ./server -run '^$' -bench Search -benchmem -timeout 30m
func BenchmarkSearch(b *testing.B) {
	queries := []struct{ name, text string }{{"common", "data"}, {"title", "back end"}, {"nowhere", "zzqx"}}
	for _, extra := range []int{0, 10000} {
		env := testEnv(b, "FINDER_RESPONSE_CACHE_MB", "0", "FINDER_ACCESS_LOG", "false", "FINDER_RATE_ANONYMOUS", "0",
			"FINDER_SYNC_INTERVAL", "1m")
		a, h := benchServer(b, extra, env, nil)
		for _, q := range queries {
			b.Run(fmt.Sprintf("search/%s/roles=+%d", q.name, extra), func(b *testing.B) {
				serveRepeatedly(b, a, h, fmt.Sprintf(`{ search(query: %q, first: 10) { __typename ... on Role { slug } ... on Tool { slug } ... on LearningResource { slug } } }`, q.text), nil)
			})
			b.Run(fmt.Sprintf("roles/%s/roles=+%d", q.name, extra), func(b *testing.B) {
				serveRepeatedly(b, a, h, fmt.Sprintf(`{ roles(first: 20, filter: {text: %q}) { totalCount nodes { slug } } }`, q.text), nil)
			})
		}
	}
}
