package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/finder-platform/finder/model"
)

// fakeAPI answers the queries and mutations bench sends the way the Finder
// API would, from a small made-up catalog, and counts "database commands"
// on /metrics: three per GraphQL request.
type fakeAPI struct {
	t         testing.TB
	roles     []roleTitle
	tools     []string
	resources []string
	token     string // required by mutations when set

	mu        sync.Mutex
	requests  int
	ops       map[string]int // operationName -> requests
	created   map[string]RoleInput
	relations []Relation
	failCode  string // when set, every mutation fails with this code
}

func newFakeAPI(t testing.TB, roles, tools, resources int) *fakeAPI {
	f := &fakeAPI{t: t, ops: map[string]int{}, created: map[string]RoleInput{}}
	for i := range roles {
		title := fmt.Sprintf("Role %03d Developer", i)
		f.roles = append(f.roles, roleTitle{Slug: model.Slugify(title), Title: title})
	}
	for i := range tools {
		f.tools = append(f.tools, fmt.Sprintf("tool-%03d", i))
	}
	for i := range resources {
		f.resources = append(f.resources, fmt.Sprintf("resource-%03d", i))
	}
	return f
}

// start serves f on loopback for the test's lifetime.
func (f *fakeAPI) start() *httptest.Server {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return srv
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/metrics":
		f.mu.Lock()
		n := f.requests
		f.mu.Unlock()
		fmt.Fprintf(w, "# TYPE finder_db_commands_total counter\nfinder_db_commands_total{command=\"find\"} %d\nfinder_db_commands_total{command=\"aggregate\"} %d\n", 2*n, n)
		return
	case "/graphql":
	default:
		http.NotFound(w, r)
		return
	}
	var req struct {
		Query         string          `json:"query"`
		OperationName string          `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
	}
	if r.Method == http.MethodGet {
		req.Query = r.URL.Query().Get("query")
		req.Variables = json.RawMessage(r.URL.Query().Get("variables"))
		if strings.Contains(req.Query, "RoleCard") {
			req.OperationName = "RoleCard"
		}
	} else if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var vars map[string]any
	if len(req.Variables) > 0 {
		if err := json.Unmarshal(req.Variables, &vars); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	f.mu.Lock()
	f.requests++
	f.ops[req.OperationName]++
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	after, _ := vars["after"].(string)
	switch req.OperationName {
	case "BenchRoleSlugs", "BenchRoleTitles":
		roles := f.allRoles()
		writePage(w, "roles", len(roles), 100, after, func(i int) any { return roles[i] })
	case "BenchToolSlugs":
		writePage(w, "tools", len(f.tools), 100, after, func(i int) any { return map[string]string{"slug": f.tools[i]} })
	case "BenchResourceSlugs":
		writePage(w, "learningResources", len(f.resources), 100, after, func(i int) any { return map[string]string{"slug": f.resources[i]} })
	case "BenchScanCursors", "RoleScan":
		writePage(w, "roles", len(f.roles), 50, after, func(i int) any { return f.roles[i] })
	case "BenchBaseRole":
		slug := vars["slug"].(string)
		if _, err := strconv.Atoi(slug[strings.LastIndex(slug, "-")+1:]); err == nil {
			f.t.Errorf("generate copies the generated role %s", slug)
		}
		writeJSON(w, map[string]any{"data": map[string]any{"role": baseRole{
			Slug: slug, Title: strings.ToUpper(slug), Family: "ENGINEERING", Tagline: "tagline of " + slug,
			Description: "description", Skills: []string{"a", "b"}, Responsibilities: []string{"c"},
			Advantages: []string{"d"}, Disadvantages: []string{"e"}, GoodFit: "fit", Conclusion: "end",
		}}})
	case "RoleCard", "RolePage":
		if vars["slug"] == "broken" {
			writeJSON(w, map[string]any{"errors": []any{map[string]any{"message": "broken on purpose", "extensions": map[string]string{"code": "INTERNAL_SERVER_ERROR"}}}, "data": nil})
			return
		}
		// A page is bigger than net/http's buffer, so it is sent chunked.
		writeJSON(w, map[string]any{"data": map[string]any{"role": map[string]any{"slug": vars["slug"], "description": strings.Repeat("x", 10000)}}})
	case "Search", "ToolRoles":
		writeJSON(w, map[string]any{"data": map[string]any{"ok": true, "vars": vars}})
	case "BenchLinks":
		roles := f.allRoles()
		f.mu.Lock()
		defer f.mu.Unlock()
		writePage(w, "roles", len(roles), 100, after, func(i int) any {
			slug := roles[i].Slug
			related := []any{}
			for _, rel := range f.relations {
				if rel.From == slug {
					related = append(related, map[string]any{"role": map[string]string{"slug": rel.To}})
				}
				if rel.To == slug {
					related = append(related, map[string]any{"role": map[string]string{"slug": rel.From}})
				}
			}
			return map[string]any{"slug": slug, "relatedRoles": related}
		})
	case "CreateRole", "RelateRoles":
		f.mutation(w, r, req.OperationName, req.Query, req.Variables)
	default:
		http.Error(w, "unknown operation "+req.OperationName, http.StatusBadRequest)
	}
}

// allRoles is the shipped roles, then the created ones, by title.
func (f *fakeAPI) allRoles() []roleTitle {
	f.mu.Lock()
	defer f.mu.Unlock()
	all := slices.Clone(f.roles)
	for _, r := range f.created {
		all = append(all, roleTitle{Slug: r.Slug, Title: r.Title})
	}
	slices.SortFunc(all, func(a, b roleTitle) int { return strings.Compare(a.Title, b.Title) })
	return all
}

// mutation checks a mutation as the API would and records it.
func (f *fakeAPI) mutation(w http.ResponseWriter, r *http.Request, op, query string, variables json.RawMessage) {
	fail := func(code, msg string) {
		writeJSON(w, map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]string{"code": code}}}, "data": nil})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.token != "" && r.Header.Get("Authorization") != "Bearer "+f.token {
		fail("UNAUTHENTICATED", "no key")
		return
	}
	if f.failCode != "" {
		fail(f.failCode, "failing on purpose")
		return
	}
	exists := func(slug string) bool {
		if _, ok := f.created[slug]; ok {
			return true
		}
		for _, r := range f.roles {
			if r.Slug == slug {
				return true
			}
		}
		return false
	}
	switch op {
	case "CreateRole":
		if query != createRoleMutation {
			f.t.Errorf("createRole document %q", query)
		}
		var v struct {
			Input RoleInput `json:"input"`
		}
		if err := json.Unmarshal(variables, &v); err != nil {
			f.t.Errorf("createRole variables: %v", err)
		}
		if exists(v.Input.Slug) {
			fail("CONFLICT", "a role already has the slug "+v.Input.Slug)
			return
		}
		f.created[v.Input.Slug] = v.Input
		writeJSON(w, map[string]any{"data": map[string]any{"createRole": map[string]string{"slug": v.Input.Slug}}})
	case "RelateRoles":
		if query != relateRolesMutation {
			f.t.Errorf("relateRoles document %q", query)
		}
		var rel Relation
		if err := json.Unmarshal(variables, &rel); err != nil {
			f.t.Errorf("relateRoles variables: %v", err)
		}
		if !exists(rel.From) || !exists(rel.To) {
			fail("NOT_FOUND", "no role "+rel.From+" or "+rel.To)
			return
		}
		f.relations = append(f.relations, rel)
		writeJSON(w, map[string]any{"data": map[string]any{"relateRoles": map[string]string{"kind": rel.Kind}}})
	}
}

// writePage writes one page of a connection of n items, cursors being indexes.
func writePage(w http.ResponseWriter, field string, n, size int, after string, node func(int) any) {
	from := 0
	if after != "" {
		i, _ := strconv.Atoi(after)
		from = i + 1
	}
	to := min(from+size, n)
	var nodes, edges []any
	for i := from; i < to; i++ {
		nodes = append(nodes, node(i))
		edges = append(edges, map[string]any{"node": node(i)})
	}
	var end any
	if to > from {
		end = strconv.Itoa(to - 1)
	}
	writeJSON(w, map[string]any{"data": map[string]any{field: map[string]any{
		"nodes": nodes, "edges": edges, "pageInfo": map[string]any{"hasNextPage": to < n, "endCursor": end},
	}}})
}

func writeJSON(w http.ResponseWriter, v any) {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		panic(err)
	}
}
