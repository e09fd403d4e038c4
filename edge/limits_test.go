package edge

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/finder-platform/finder/graph"
)

// nested returns a query whose fields nest depth levels deep (depth >= 2):
// role > relatedRoles > role > ... and a scalar of the last one.
func nested(depth int) string {
	var b strings.Builder
	b.WriteString(`{ role(slug: "back-end-developer") {`)
	for level := 2; level < depth; level++ {
		if level%2 == 0 {
			b.WriteString(" relatedRoles {")
		} else {
			b.WriteString(" role {")
		}
	}
	if depth%2 == 0 { // the parent is a Role
		b.WriteString(" slug")
	} else { // the parent is a RoleRelation
		b.WriteString(" kind")
	}
	return b.String() + strings.Repeat(" }", depth-1) + " }"
}

// aliased returns a query with n aliased fields.
func aliased(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: role(slug: \"back-end-developer\") { title }", i)
	}
	return b.String() + " }"
}

func TestLimitsAtUnderAndOver(t *testing.T) {
	srv := newTestEdge(t, 0, func(d *Deps) {
		d.Config.Limits = graph.Limits{MaxDepth: 6, MaxAliases: 3, MaxCost: 1001, MaxTokens: 200}
	})
	// roles(first: n) { nodes { slug } } costs 1 + n*(1 + 1) = 2n+1 points.
	costQuery := func(n int) string { return fmt.Sprintf("{ roles(first: %d) { nodes { slug } } }", n) }
	for _, tc := range []struct {
		name, query string
		limit       string // "" when the query must pass
	}{
		{"depth under", nested(5), ""},
		{"depth at", nested(6), ""},
		{"depth over", nested(7), "depth"},
		{"aliases under", aliased(2), ""},
		{"aliases at", aliased(3), ""},
		{"aliases over", aliased(4), "aliases"},
		{"cost under", costQuery(99), ""},
		{"cost at", costQuery(500), ""}, // 1001: the pages would be capped at 100, but cost counts what is asked
		{"cost over", costQuery(501), "cost"},
		{"tokens over", "{ " + strings.Repeat("__typename ", 200) + "}", "tokens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, srv.URL, "", tc.query, nil)
			if tc.limit == "" {
				for _, e := range r.Errors {
					if e.Code() == "QUERY_TOO_COMPLEX" {
						t.Fatalf("refused: %s", e.Message)
					}
				}
				return
			}
			if len(r.Errors) != 1 || r.Errors[0].Code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["limit"] != tc.limit ||
				!strings.Contains(r.Errors[0].Message, tc.limit) || r.Data != nil && string(r.Data) != "null" {
				t.Errorf("want a QUERY_TOO_COMPLEX naming %s, got %+v", tc.limit, r.Errors)
			}
		})
	}
	// An accepted query reports its cost and the limits.
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ roles(first: 3) { nodes { slug } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Extensions struct {
			Cost struct {
				RequestedQueryCost int
				Limits             map[string]int
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if c := body.Extensions.Cost; c.RequestedQueryCost != 7 || c.Limits["cost"] != 1001 || c.Limits["depth"] != 6 {
		t.Errorf("extensions.cost = %+v, want cost 7 and the limits", c)
	}
	var rejected float64
	for _, l := range metricLines(t, srv.URL, "finder_graphql_rejected_total") {
		var v float64
		fmt.Sscan(l[strings.LastIndexByte(l, ' ')+1:], &v)
		rejected += v
	}
	if rejected != 3 {
		t.Errorf("finder_graphql_rejected_total sums to %v, want 3 (depth, aliases, cost)", rejected)
	}
}

func TestRateLimit(t *testing.T) {
	srv := newTestEdge(t, 0, func(d *Deps) { d.Config.RateAnonymous, d.Config.AdminToken = 60, adminToken })
	// Each roles(first: 10) { nodes { slug } } costs 21 points: three fit in 60.
	q := `{"query":"{ roles(first: 10) { nodes { slug } } }"}`
	statuses := []int{}
	var last *http.Response
	for range 4 {
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(q))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		last = resp
	}
	if fmt.Sprint(statuses) != "[200 200 200 429]" {
		t.Fatalf("statuses %v, want three answers and then 429", statuses)
	}
	if ra := last.Header.Get("Retry-After"); ra == "" || ra == "0" || last.Header.Get("X-RateLimit-Limit") != "60" {
		t.Errorf("429 headers: Retry-After %q, X-RateLimit-Limit %q", ra, last.Header.Get("X-RateLimit-Limit"))
	}
	r := post(t, srv.URL, "", `{ roles { totalCount } }`, nil)
	if r.Status != 429 || r.Errors[0].Code() != "RATE_LIMITED" {
		t.Errorf("a spent budget answered %d %v", r.Status, r.Codes())
	}
	// A key has its own budget.
	if r := post(t, srv.URL, adminToken, `{ roles { totalCount } }`, nil); r.Status != 200 {
		t.Errorf("a keyed request answered %d %v", r.Status, r.Codes())
	}
}

func TestConditionalGet(t *testing.T) {
	url := sharedEdge(t).URL
	card := url + `/graphql?query=` + strings.ReplaceAll(`{role(slug:"back-end-developer"){title}}`, `"`, "%22")
	resp, err := http.Get(card)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag, cc := resp.Header.Get("ETag"), resp.Header.Get("Cache-Control")
	if etag == "" || !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=300") {
		t.Fatalf("ETag %q, Cache-Control %q", etag, cc)
	}
	req, _ := http.NewRequest(http.MethodGet, card, nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag answered %d, want 304", resp.StatusCode)
	}
	req.Header.Set("If-None-Match", `"other"`)
	if resp, _ = http.DefaultClient.Do(req); resp.StatusCode != 200 {
		t.Errorf("a different ETag answered %d, want 200", resp.StatusCode)
	}
	resp.Body.Close()
	// Lists are fresh for less time; errors and POSTs are not stored.
	for target, want := range map[string]string{
		`/graphql?query={roles{totalCount}}`:   "max-age=60",
		`/graphql?query={role(slug:1){title}}`: "no-store",
		`/graphql?query={viewer{name}}`:        "no-store",
	} {
		resp, err := http.Get(url + target)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, want) {
			t.Errorf("%s: Cache-Control %q, want %s", target, cc, want)
		}
	}
}

func metricLines(t *testing.T, url, name string) []string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, name+"{") || strings.HasPrefix(l, name+" ") {
			out = append(out, l)
		}
	}
	return out
}

// TestFragmentBombIsRefused sends a query of a few hundred tokens whose
// fragments each spread the next twice: 2^40 fields once expanded. Measuring
// it field by field would never finish; it must be refused by the cost limit.
func TestFragmentBombIsRefused(t *testing.T) {
	const n = 40
	var b strings.Builder
	b.WriteString("query { ...F0 }")
	for i := range n {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { roles { totalCount } }", n)
	r := post(t, sharedEdge(t).URL, "", b.String(), nil)
	if len(r.Errors) != 1 || r.Errors[0].Code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["limit"] != "cost" {
		t.Errorf("want QUERY_TOO_COMPLEX for the cost, got %+v", r.Errors)
	}
}
