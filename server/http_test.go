package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// send makes a request and returns its status, Content-Type and body.
func send(t *testing.T, method, target, contentType, accept, body string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestGraphQLOverHTTP(t *testing.T) {
	base := sharedServer(t)
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
	base := sharedServer(t)
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

// TestInternalErrorsAreMasked corrupts a document in the store so that
// reading it fails inside the driver, and checks the client sees a generic
// message with a request id, while the log has the driver's words.
func TestInternalErrorsAreMasked(t *testing.T) {
	env := testEnv(t, "FINDER_READ_FROM", "store")
	a, logs := newTestApp(t, env)
	srv := httpTestServer(t, a)
	client, err := mongo.Connect(options.Client().ApplyURI(env["MONGODB_URI"]))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	// A title that is a number cannot be decoded into a role.
	_, err = client.Database(env["MONGODB_DATABASE"]).Collection("roles").UpdateOne(context.Background(),
		bson.D{{Key: "slug", Value: "data-analyst"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "title", Value: 42}}}})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, srv, `{ role(slug: "data-analyst") { title } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].code() != "INTERNAL_SERVER_ERROR" {
		t.Fatalf("errors %+v", r.Errors)
	}
	msg, id := r.Errors[0].Message, r.Errors[0].Extensions["requestId"]
	for _, leak := range []string{"decode", "title", "int", "mongo", "store", ".go", "/"} {
		if strings.Contains(strings.ToLower(msg), leak) {
			t.Errorf("the message %q shows %q", msg, leak)
		}
	}
	if id == nil || !strings.Contains(msg, id.(string)) || !strings.Contains(logs.String(), id.(string)) ||
		!strings.Contains(logs.String(), "decod") {
		t.Errorf("request id %v: message %q; the log should hold it with the driver's error:\n%s", id, msg, logs)
	}
}

// TestOverloadIsRefusedQuickly lets one request run at a time, with no
// queue, and sends many at once: the others are refused at once with 503
// and Retry-After, rather than waiting.
func TestOverloadIsRefusedQuickly(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_MAX_CONCURRENT", "1", "FINDER_QUEUE_TIMEOUT", "0s",
		"FINDER_READ_FROM", "store", "FINDER_RATE_ANONYMOUS", "0"))
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	var slowestRefusal time.Duration
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			r := post(t, srv.URL, `{ roles(first: 50) { nodes { slug tools { name } relatedRoles { role { title } } } } }`, nil)
			mu.Lock()
			defer mu.Unlock()
			statuses[r.Status]++
			if r.Status == 503 {
				slowestRefusal = max(slowestRefusal, time.Since(start))
				if r.Errors[0].code() != "SERVICE_UNAVAILABLE" {
					t.Errorf("503 with %v", r.codes())
				}
			}
		}()
	}
	wg.Wait()
	if statuses[200] == 0 || statuses[503] == 0 || slowestRefusal > time.Second {
		t.Errorf("statuses %v, slowest refusal %v; want some served, some refused within a second", statuses, slowestRefusal)
	}
}

func TestIntrospectionCanBeTurnedOff(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_INTROSPECTION", "false", "FINDER_GRAPHIQL", "false"))
	r := post(t, srv.URL, `{ __schema { types { name } } }`, nil)
	if len(r.Errors) == 0 {
		t.Error("introspection answered while turned off")
	}
	r = post(t, srv.URL, `{ role(slug: "back-end-developer") { titel } }`, nil)
	if len(r.Errors) != 1 || strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Errorf("a misspelt field: %+v; want no suggestion", r.Errors)
	}
	if status, _, _ := send(t, "GET", srv.URL+"/graphiql", "", "", ""); status != 404 {
		t.Errorf("GraphiQL answered %d while turned off", status)
	}
}

func TestOneLogLinePerRequest(t *testing.T) {
	env := testEnv(t)
	env["FINDER_LOG_LEVEL"] = "info"
	a, logs := newTestApp(t, env)
	url := httpTestServer(t, a)
	req, _ := http.NewRequest("POST", url+"/graphql", bytes.NewReader([]byte(`{"query":"query RoleTitle { role(slug: \"back-end-developer\") { title } }"}`)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "test-request-0001")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Request-Id") != "test-request-0001" {
		t.Errorf("X-Request-Id %q", resp.Header.Get("X-Request-Id"))
	}
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "test-request-0001") {
			if line != "" {
				t.Errorf("two log lines for one request:\n%s\n%s", line, l)
			}
			line = l
		}
	}
	for _, want := range []string{"msg=request", "operation=RoleTitle", "cost=", "outcome=ok", "duration=", "status=200"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
}

// TestShutdownLetsRequestsFinish sends slow requests, stops the server
// while they run, and checks that every one of them is answered, that new
// connections are refused, and that run returns without error.
func TestShutdownLetsRequestsFinish(t *testing.T) {
	env := map[string]string{"FINDER_DATA_DIR": t.TempDir(), "FINDER_READ_FROM": "store",
		"FINDER_LOADER_WAIT": "50ms", "FINDER_RATE_ANONYMOUS": "0", "FINDER_ACCESS_LOG": "false"}
	url, _, stop := startRun(t, env)
	const slow = `{ roles(first: 50) { nodes { slug tools { name } learningResources { title } relatedRoles { role { tools { name } } } } } }`
	var wg sync.WaitGroup
	results := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			results <- post(t, url, slow, nil).Status
			t.Logf("answered after %v", time.Since(start).Round(time.Millisecond))
		}()
	}
	time.Sleep(100 * time.Millisecond) // the requests are in flight
	stopped := make(chan error, 1)
	go func() { t.Log("stopping"); stopped <- stop() }()
	wg.Wait()
	close(results)
	for status := range results {
		if status != 200 {
			t.Errorf("a request in flight at shutdown answered %d", status)
		}
	}
	if err := <-stopped; err != nil {
		t.Errorf("run returned %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}
