package edge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/finder-platform/finder/graph/graphtest"
	"github.com/finder-platform/finder/model"
)

// send makes a request and returns its status, headers and body.
var send = graphtest.Send

func TestGraphQLOverHTTP(t *testing.T) {
	base := sharedEdge(t).URL
	gql := base + "/graphql"
	q := func(query string) string { return gql + "?query=" + url.QueryEscape(query) }
	const responseJSON = "application/graphql-response+json"
	for _, tc := range []struct {
		name, method, target, ctype, accept, body string
		status                                    int
		wantType, wantBody                        string
	}{
		{"GET query", "GET", q(`{ role(slug: "back-end-developer") { title } }`), "", "", "", 200, "application/json", `"Back-End Developer"`},
		{"GET asks for graphql-response+json", "GET", q(`{ role(slug: "sqlbolt") { title } }`), "", responseJSON, "", 200, responseJSON, `"role":null`},
		{"GET mutation", "GET", q(`mutation { unsubscribeNewsletter(token: "x") }`), "", "", "", 405, "application/json", "must be sent with POST"},
		{"GET without a query", "GET", gql, "", "", "", 400, "application/json", "no query"},
		{"GET with bad variables", "GET", q(`{ __typename }`) + "&variables=%7Bnope", "", "", "", 400, "application/json", "variables"},
		{"POST JSON", "POST", gql, "application/json", "", `{"query":"{ __typename }"}`, 200, "application/json", `"Query"`},
		{"POST not JSON", "POST", gql, "text/plain", "", `{"query":"{ __typename }"}`, 415, "application/json", "Content-Type: application/json"},
		{"POST bad JSON", "POST", gql, "application/json", "", `{"query":`, 400, "application/json", "JSON object"},
		{"validation error, json", "POST", gql, "application/json", "application/json", `{"query":"{ nope }"}`, 200, "application/json", "GRAPHQL_VALIDATION_FAILED"},
		{"validation error, graphql-response+json", "POST", gql, "application/json", responseJSON, `{"query":"{ nope }"}`, 400, responseJSON, "GRAPHQL_VALIDATION_FAILED"},
		{"parse error, graphql-response+json", "POST", gql, "application/json", responseJSON, `{"query":"{ "}`, 400, responseJSON, "GRAPHQL_PARSE_FAILED"},
		{"field error still 200", "POST", gql, "application/json", responseJSON, `{"query":"{ roles(first: 0) { totalCount } }"}`, 200, responseJSON, "BAD_USER_INPUT"},
		{"accepts neither", "GET", q(`{ __typename }`), "", "text/html", "", 406, "application/json", "Accept"},
		{"PUT", "PUT", gql, "application/json", "", `{"query":"{ __typename }"}`, 405, "application/json", "does not take PUT"},
		{"DELETE", "DELETE", gql, "", "", "", 405, "application/json", "BAD_USER_INPUT"},
		{"persisted query, bad version", "POST", gql, "application/json", "", `{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"` + strings.Repeat("a", 64) + `"}}}`, 400, "application/json", "persistedQuery extension must be"},
		{"persisted query, hash not the query's", "POST", gql, "application/json", "", `{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("a", 64) + `"}}}`, 400, "application/json", "not the SHA-256"},
		{"body too large", "POST", gql, "application/json", "", `{"query":"{ __typename }","x":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "application/json", "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := send(t, tc.method, tc.target, tc.ctype, tc.accept, tc.body)
			if status != tc.status || !strings.HasPrefix(h.Get("Content-Type"), tc.wantType) || !strings.Contains(body, tc.wantBody) {
				t.Errorf("%d %s %.300s; want %d %s containing %q", status, h.Get("Content-Type"), body, tc.status, tc.wantType, tc.wantBody)
			}
			wantAllow := map[string]string{"GET": "POST", "PUT": "GET, POST, OPTIONS", "DELETE": "GET, POST, OPTIONS"}[tc.method]
			if tc.status == 405 && h.Get("Allow") != wantAllow {
				t.Errorf("Allow %q", h.Get("Allow"))
			}
		})
	}
}

// TestPersistedQueries follows Apollo's automatic persisted queries: a hash
// the server does not know, then the query with its hash, then the hash in a
// GET URL, as a partner's page would send it.
func TestPersistedQueries(t *testing.T) {
	base := sharedEdge(t).URL
	query := `{ role(slug: "front-end-developer") { title } }`
	sum := sha256.Sum256([]byte(query))
	ext := fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":"%s"}}`, hex.EncodeToString(sum[:]))
	byHash := base + "/graphql?extensions=" + url.QueryEscape(ext)
	if status, _, body := send(t, "GET", byHash, "", "", ""); status != 200 || !strings.Contains(body, "PERSISTED_QUERY_NOT_FOUND") {
		t.Fatalf("unknown hash: %d %s", status, body)
	}
	if status, _, body := send(t, "POST", base+"/graphql", "application/json", "", fmt.Sprintf(`{"query":%q,"extensions":%s}`, query, ext)); status != 200 || !strings.Contains(body, "Front-End Developer") {
		t.Fatalf("query with its hash: %d %s", status, body)
	}
	if status, _, body := send(t, "GET", byHash, "", "", ""); status != 200 || !strings.Contains(body, "Front-End Developer") {
		t.Errorf("known hash: %d %s", status, body)
	}
}

func TestIntrospectionCanBeTurnedOff(t *testing.T) {
	srv := newTestEdge(t, 0, func(d *Deps) { d.Config.Introspection, d.Config.GraphiQL = false, false })
	for _, q := range []string{`{ __schema { types { name } } }`, `{ __type(name: "Role") { name } }`} {
		r := post(t, srv.URL, "", q, nil)
		if len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "introspection is turned off") {
			t.Errorf("%s while introspection is off: %+v; want FORBIDDEN saying so", q, r.Errors)
		}
	}
	if r := post(t, srv.URL, "", `{ __typename }`, nil); len(r.Errors) > 0 {
		t.Errorf("__typename is refused while introspection is off: %+v", r.Errors)
	}
	if strings.Contains(srv.logs.String(), "internal error") {
		t.Errorf("a refused introspection was logged as our fault:\n%s", srv.logs)
	}
	r := post(t, srv.URL, "", `{ role(slug: "back-end-developer") { titel } }`, nil)
	r = post(t, srv.URL, "", `{ role(slug: "back-end-developer") { titel } }`, nil)
	if len(r.Errors) != 1 || strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Errorf("a misspelt field: %+v; want no suggestion", r.Errors)
	}
	if status, _, _ := send(t, "GET", srv.URL+"/graphiql", "", "", ""); status != 404 {
		t.Errorf("GraphiQL answered %d while turned off", status)
	}
}

// TestOneLogLinePerRequest checks that each request is logged once, by
// the outermost layer, with what the layers inside learned: the
// operation and its cost (GraphQL), the outcome, the response cache's hit
// or miss, and the API key's name.
func TestOneLogLinePerRequest(t *testing.T) {
	te := newTestEdge(t, 0, func(d *Deps) { d.Config.AdminToken = adminToken })
	te.keys.add("fk_reader-key-0123456789", model.APIKey{ID: "k1", Name: "Reporting", Scopes: []model.Scope{model.ScopeRead}})
	ask := func(id, key string) (echoed string) {
		req, _ := http.NewRequest("GET", te.URL+"/graphql?query="+url.QueryEscape(`query RoleTitle { role(slug: "back-end-developer") { title } }`), nil)
		req.Header.Set("X-Request-Id", id)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", id, resp.StatusCode)
		}
		return resp.Header.Get("X-Request-Id")
	}
	for _, id := range []string{"test-request-0001", "test-request-0002"} {
		if got := ask(id, ""); got != id {
			t.Errorf("X-Request-Id %q, want the client's %q", got, id)
		}
	}
	ask("test-request-0003", "fk_reader-key-0123456789")
	if got := ask("forged level=ERROR msg=fake", ""); !validRequestID.MatchString(got) {
		t.Errorf("a malformed X-Request-Id came back as %q, want a new one", got)
	}
	te.srv.Close() // waits for the requests' handlers, and so their log lines
	lines := map[string][]string{}
	for _, l := range strings.Split(te.logs.String(), "\n") {
		if _, rest, ok := strings.Cut(l, "request_id="); ok {
			id, _, _ := strings.Cut(rest, " ")
			lines[id] = append(lines[id], l)
		}
	}
	for id, want := range map[string][]string{
		"test-request-0001": {"msg=request", "method=GET", "path=/graphql", "status=200", "operation=RoleTitle", "cost=2", "outcome=ok", "cache=miss", `key=""`, "duration=", "bytes="},
		"test-request-0002": {"operation=RoleTitle", "cache=hit", "outcome=ok"},
		"test-request-0003": {"operation=RoleTitle", "key=Reporting", `cache=""`},
	} {
		if len(lines[id]) != 1 {
			t.Errorf("%s: %d log lines, want 1: %q", id, len(lines[id]), lines[id])
			continue
		}
		for _, w := range want {
			if !strings.Contains(lines[id][0], w) {
				t.Errorf("log line %q lacks %q", lines[id][0], w)
			}
		}
	}
	if strings.Contains(te.logs.String(), "forged") || len(lines) != 4 {
		t.Errorf("a malformed X-Request-Id was not replaced: %v", lines)
	}
}

// TestAnswersHaveTheirLength asks for a large answer, computed and then
// from the response cache: both come with a Content-Length, not in chunks.
func TestAnswersHaveTheirLength(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	body := `{"query":"{ roles(first: 60) { nodes { slug title tagline description } } }"}`
	for _, want := range []string{"miss", "hit"} {
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(b) < 16<<10 || resp.ContentLength != int64(len(b)) || len(resp.TransferEncoding) > 0 || resp.Header.Get("X-Cache") != want {
			t.Errorf("%s: %d bytes, Content-Length %d, Transfer-Encoding %v, X-Cache %q",
				want, len(b), resp.ContentLength, resp.TransferEncoding, resp.Header.Get("X-Cache"))
		}
	}
}
