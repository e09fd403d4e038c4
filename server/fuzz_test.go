package main

// FuzzGraphQLRequest sends whole requests, as hostile as the fuzzer can make
// them, to the real handler (every guard, the GraphQL transport, the
// resolvers, the embedded store) and checks the contract's promises for
// bad input: no panic, no 5xx but a 503, a JSON answer whose every error
// has one of the contract's codes and is never INTERNAL_SERVER_ERROR, and
// an answer within a few seconds.
//
// With `go test` the seeds below and those under
// testdata/fuzz/FuzzGraphQLRequest run once each; fuzz it with
//
//	go test ./server -run '^$' -fuzz '^FuzzGraphQLRequest$' -fuzztime 30s

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzRequestDeadline is the most one request may take: far more than any
// sane one needs, far less than a hang.
const fuzzRequestDeadline = 5 * time.Second

// contractCodes are the error codes of docs/API.md, "Errors".
var contractCodes = []string{"BAD_USER_INPUT", "NOT_FOUND", "UNAUTHENTICATED", "FORBIDDEN", "CONFLICT",
	"RATE_LIMITED", "QUERY_TOO_COMPLEX", "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR",
	"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "PERSISTED_QUERY_NOT_FOUND"}

var (
	fuzzOnce    sync.Once
	fuzzHandler http.Handler
)

// fuzzServer is one app per test process (each fuzzing worker is one),
// served in process: the first input's T starts it, and its cleanup waits
// for TestMain. Rate limits are off so the fuzzer is never throttled; the
// query limits keep their defaults.
func fuzzServer(t *testing.T) http.Handler {
	t.Helper()
	fuzzOnce.Do(func() {
		a, _ := newTestApp(&sharedT{t}, testEnv(t, "FINDER_RATE_ANONYMOUS", "0", "FINDER_RATE_KEYED", "0",
			"FINDER_ACCESS_LOG", "false", "FINDER_LOG_LEVEL", "error"))
		fuzzHandler = a.edge
	})
	if fuzzHandler == nil {
		t.Fatal("the fuzz server did not start")
	}
	return fuzzHandler
}

func FuzzGraphQLRequest(f *testing.F) {
	for _, s := range graphQLSeeds() {
		f.Add(s.post, s.rawQuery, s.body, s.contentType, s.accept)
	}
	f.Fuzz(func(t *testing.T, post bool, rawQuery, body, contentType, accept string) {
		h := fuzzServer(t)
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		ctx, cancel := context.WithTimeout(context.Background(), fuzzRequestDeadline)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, "http://finder.test/graphql", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = requestTarget(rawQuery)
		req.RemoteAddr = "192.0.2.7:40000"
		if v := headerValue(contentType); v != "" {
			req.Header.Set("Content-Type", v)
		}
		if v := headerValue(accept); v != "" {
			req.Header.Set("Accept", v)
		}
		what := fmt.Sprintf("%s /graphql?%.300q Content-Type %.100q Accept %.100q body (%d bytes) %.300q",
			method, req.URL.RawQuery, contentType, accept, len(body), body)

		rec := httptest.NewRecorder()
		done := make(chan any, 1)
		go func() {
			defer func() { done <- recover() }()
			h.ServeHTTP(rec, req)
		}()
		select {
		case p := <-done:
			if p != nil {
				t.Fatalf("%s: the handler panicked: %v", what, p)
			}
		case <-time.After(fuzzRequestDeadline + 2*time.Second):
			t.Fatalf("%s: no answer after %v", what, fuzzRequestDeadline+2*time.Second)
		}
		if ctx.Err() != nil {
			t.Fatalf("%s: the request ran into its %v deadline", what, fuzzRequestDeadline)
		}
		checkAnswer(t, what, rec)
	})
}

// checkAnswer checks one answer against the contract.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	status, body := rec.Code, rec.Body.Bytes()
	if status >= 500 && status != http.StatusServiceUnavailable {
		t.Fatalf("%s: status %d: %.500s", what, status, body)
	}
	if len(body) == 0 {
		if status != http.StatusNotModified {
			t.Fatalf("%s: status %d with no body", what, status)
		}
		return
	}
	ctype := rec.Header().Get("Content-Type")
	if !strings.HasPrefix(ctype, "application/json") && !strings.HasPrefix(ctype, "application/graphql-response+json") {
		t.Fatalf("%s: status %d, Content-Type %q: %.500s", what, status, ctype, body)
	}
	if !utf8.Valid(body) {
		t.Fatalf("%s: the answer is not UTF-8, so not JSON: %.500q", what, body)
	}
	var answer struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("%s: status %d, the answer is not a JSON object: %v: %.500s", what, status, err, body)
	}
	if len(answer.Errors) == 0 && (len(answer.Data) == 0 || string(answer.Data) == "null") {
		t.Fatalf("%s: status %d, neither errors nor data: %.500s", what, status, body)
	}
	if status != http.StatusOK && len(answer.Errors) == 0 {
		t.Fatalf("%s: status %d without an error: %.500s", what, status, body)
	}
	for _, e := range answer.Errors {
		code, _ := e.Extensions["code"].(string)
		switch {
		case !slices.Contains(contractCodes, code):
			t.Fatalf("%s: status %d, an error with code %q, not one of the contract's: %.500s", what, status, code, body)
		case code == "INTERNAL_SERVER_ERROR":
			t.Fatalf("%s: status %d, INTERNAL_SERVER_ERROR for a client's input: %.500s", what, status, body)
		case status == http.StatusServiceUnavailable && code != "SERVICE_UNAVAILABLE":
			t.Fatalf("%s: 503 with %s: %.500s", what, code, body)
		case strings.TrimSpace(e.Message) == "":
			t.Fatalf("%s: an error without a message: %.500s", what, body)
		}
	}
}

// requestTarget writes the fuzzer's query string as a request line can
// carry it: bytes a client must escape (controls, spaces, non-ASCII, #)
// are percent-escaped, so the server decodes exactly the fuzzer's bytes.
func requestTarget(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// headerValue drops the bytes no HTTP header can carry (net/http refuses
// such a request before any handler sees it) and the spaces around it.
func headerValue(v string) string {
	v = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < ' ' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, v)
	return strings.TrimSpace(v)
}

type graphQLSeed struct {
	post                                bool
	rawQuery, body, contentType, accept string
}

// graphQLSeeds are the hostile requests the fuzzer starts from; the large
// ones are made here rather than committed under testdata.
func graphQLSeeds() []graphQLSeed {
	get := func(params ...string) graphQLSeed {
		v := url.Values{}
		for i := 0; i+1 < len(params); i += 2 {
			v.Add(params[i], params[i+1])
		}
		return graphQLSeed{rawQuery: v.Encode()}
	}
	postJSON := func(body string) graphQLSeed {
		return graphQLSeed{post: true, body: body, contentType: "application/json"}
	}
	// request writes a JSON body with the query and variables given.
	request := func(query string, variables string) string {
		q, _ := json.Marshal(query)
		if variables == "" {
			return `{"query":` + string(q) + `}`
		}
		return `{"query":` + string(q) + `,"variables":` + variables + `}`
	}
	hash := func(q string) string { s := sha256.Sum256([]byte(q)); return hex.EncodeToString(s[:]) }
	const rolePage = `query RolePage($slug: String!) { role(slug: $slug) { title tools { name } relatedRoles { kind role { slug } } } }`

	deepList := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	deepObject := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	nested := func(levels int) string {
		return "{ roles { nodes { " + strings.Repeat("relatedRoles { role { ", levels) + "slug" + strings.Repeat(" } }", levels) + " } } }"
	}
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: __typename", i)
		}
		return b.String() + " }"
	}
	// fragmentBomb: each fragment spreads the next twice, 2^n fields once
	// expanded, in a few hundred bytes.
	fragmentBomb := func(n int) string {
		var b strings.Builder
		b.WriteString("query { ...F0 }")
		for i := range n {
			fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
		}
		fmt.Fprintf(&b, " fragment F%d on Query { roles { totalCount } }", n)
		return b.String()
	}
	giant := strings.Repeat("a", 1_000_000)

	seeds := []graphQLSeed{
		// GET
		get("query", `{ role(slug: "back-end-developer") { title tools { name } } }`),
		get("query", `{ __schema { types { name fields { name args { name } } } } }`),
		get("query", `mutation { unsubscribeNewsletter(token: "x") }`),
		get("query", `mutation { createTool(input: {slug: "x", name: "X", category: OTHER}) { id } }`),
		get("query", `query A { __typename }`, "operationName", "B"),
		get("query", "{ role(slug: \"\xff\xfe\") { title } }"),
		get("query", "{ __typename \x00 }"),
		get("query", "query($s: String!) { role(slug: $s) { title } }", "variables", "{\"s\":\"\xff\x00\"}"),
		get("query", "query($s: String!) { role(slug: $s) { title } }", "variables", `{nope`),
		get("query", "query($s: String!) { role(slug: $s) { title } }", "variables", `[1]`),
		get("query", "query($s: String!) { role(slug: $s) { title } }", "variables", `{"s":{"$gt":""}}`),
		get("query", `{ roles(first: 1e309) { totalCount } }`),
		get("query", `{ roles(first: 99999999999999999999) { totalCount } }`),
		get("query", `query($f: Int) { roles(first: $f) { totalCount } }`, "variables", `{"f":1e309}`),
		get("query", `query($f: Int) { roles(first: $f) { totalCount } }`, "variables", `{"f":1.5}`),
		get("extensions", `{"persistedQuery":{"version":1,"sha256Hash":"`+hash("{ __typename }")+`"}}`),
		get("query", "{ __typename }", "extensions", `{"persistedQuery":{"version":1,"sha256Hash":"`+hash("{ __typename }")+`"}}`),
		get("query", "{ a }", "query", "{ b }"),
		{rawQuery: "query=%zz&%%%&variables=%7B"},
		{rawQuery: ""},
		get("query", nested(40)),
		get("query", "{ search(query: \""+strings.Repeat("x", 300_000)+"\") { __typename } }"),

		// POST: the body and its types
		postJSON(`{"query": 5}`),
		postJSON(`{"query": null}`),
		postJSON(`{"query": ["{ __typename }"]}`),
		postJSON(`[{"query": "{ __typename }"}]`),
		postJSON(`{"query": "{ __typename }", "variables": "{}"}`),
		postJSON(`{"query": "{ __typename }", "variables": []}`),
		postJSON(`{"query": "{ __typename }", "operationName": "Nope"}`),
		postJSON(`{"query": "{ __typename }", "operationName": 7}`),
		postJSON(`{"query": "{ __typename }"} trailing`),
		postJSON(`{"query": "{ __typename }"`),
		postJSON(""),
		postJSON("\x00"),
		postJSON("{\"query\": \"{ role(slug: \\\"\xff\xfe\\\") { title } }\"}"),
		postJSON("{\"query\": \"{ __typename }\x00\"}"),
		postJSON(`{"query": "{ __typename }\u0000"}`),
		postJSON(`{"query": "{ role(slug: \"\\ud800\") { title } }"}`),
		postJSON(request(`query($f: Int) { roles(first: $f) { totalCount } }`, `{"f": 1e309}`)),
		postJSON(request(`query($f: Int) { roles(first: $f) { totalCount } }`, `{"f": 99999999999999999999}`)),
		postJSON(request(`query($f: Int) { roles(first: $f) { totalCount } }`, `{"f": -0.0}`)),
		postJSON(request(`query($f: Int) { roles(first: $f) { totalCount } }`, `{"f": 1.5}`)),
		postJSON(request(`query($f: Int) { search(query: "data", first: $f) { __typename } }`, `{"f": -2147483649}`)),
		postJSON(request(`query($f: Float) { __typename }`, `{"f": 1e309}`)),
		postJSON(request(`query($t: [String!]) { roles(filter: {usesTools: $t}) { totalCount } }`, deepList)),
		postJSON(request(`query($t: [String!]) { roles(filter: {usesTools: $t}) { totalCount } }`, `{"t":`+deepList[:9990*2]+`}`)),
		postJSON(request(`query($t: [String!]) { roles(filter: {usesTools: $t}) { totalCount } }`, `{"t":`+strings.Repeat("[", 9990)+strings.Repeat("]", 9990)+`}`)),
		postJSON(`{"query": "{ __typename }", "extensions": ` + deepObject + `}`),
		postJSON(request(`query($s: String!) { search(query: $s) { __typename } }`, `{"s":"`+giant+`"}`)),
		postJSON(`{"query": "{ __typename }", "padding": "` + giant + giant + `"}`),
		postJSON(request(`{ search(query: "`+strings.Repeat("y", 900_000)+`") { __typename } }`, "")),
		postJSON(request(`{ __typename `+strings.Repeat(" ", 900_000)+`}`, "")),
		postJSON(request(nested(15), "")),
		postJSON(request(nested(500), "")),
		postJSON(request("{"+strings.Repeat(" a: __typename", 1), "")),
		postJSON(request(aliases(31), "")),
		postJSON(request(aliases(1500), "")),
		postJSON(request(aliases(10_000), "")),
		postJSON(request(strings.Repeat("{ roles ", 2400)+strings.Repeat("}", 2400), "")),
		postJSON(request(`query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, "")),
		postJSON(request(`query { ...A } fragment A on Query { ...A }`, "")),
		postJSON(request(fragmentBomb(8), "")),
		postJSON(request(`query($q: String!) { search(query: $q) { __typename } }`, `{"q": "{ __schema { types { name } } }"}`)),
		postJSON(request(`query($q: String!) { __typename }`, `{"query": "{ __schema { types { name } } }"}`)),
		postJSON(request(`mutation { subscribeNewsletter(email: "a@b.co\nBcc: c@d.ef", consent: true) { id } }`, "")),
		postJSON(request(`mutation { createApiKey(input: {name: "x", scopes: [ADMIN]}) { secret } }`, "")),
		postJSON(request(`subscription { __typename }`, "")),
		postJSON(request(`query A { __typename } query A { __typename }`, "")),
		postJSON(request(`query A { __typename } mutation B { unsubscribeNewsletter(token: "") }`, "")),
		postJSON(request(`{ node(id: "Um9sZTo=") { id } a: node(id: "QXBpS2V5OjE") { id } }`, "")),
		postJSON(request(`{ roles(after: "eyJrIjp7IiRndCI6IiJ9LCJpIjoieCJ9") { totalCount } }`, "")),
		postJSON(request(`{ roles(orderBy: {field: "TITLE"}) { totalCount } }`, "")),
		postJSON(request(`{ tools(filter: {categories: [NOPE]}) { totalCount } }`, "")),
		postJSON(request(`query($c: [ToolCategory!]) { tools(filter: {categories: $c}) { totalCount } }`, `{"c": ["$where"]}`)),
		postJSON(`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + hash("{ __typename }") + `"}}}`),
		postJSON(`{"extensions": {"persistedQuery": null}}`),

		// POST: the headers
		{post: true, body: request(rolePage, `{"slug":"data-analyst"}`), contentType: "application/json; charset=utf-8", accept: "application/graphql-response+json"},
		{post: true, body: request(`{ nope }`, ""), contentType: "application/json", accept: "application/graphql-response+json"},
		{post: true, body: request(`{ `, ""), contentType: "application/graphql-response+json", accept: "application/json;q=0, application/graphql-response+json;q=0.1"},
		{post: true, body: request(`{ __typename }`, ""), contentType: "APPLICATION/JSON", accept: "*/*"},
		{post: true, body: request(`{ __typename }`, ""), contentType: "application/json; charset=\xff", accept: ";;;,,,"},
		{post: true, body: request(`{ __typename }`, ""), contentType: "text/plain"},
		{post: true, body: request(`{ __typename }`, "")},
		{post: true, body: "query=%7B__typename%7D", contentType: "application/x-www-form-urlencoded"},
		{post: true, body: "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n--x--", contentType: "multipart/form-data; boundary=x"},
		{post: true, body: request(`{ __typename }`, ""), contentType: "application/json", accept: "text/html"},
		{post: true, body: request(`{ __typename }`, ""), contentType: "application/json", accept: "application/graphql-response+json;q=0"},
		{rawQuery: "query=%7B__typename%7D", accept: "application/graphql-response+json", contentType: "application/json"},
		{rawQuery: "query=%7B__typename%7D", accept: "text/event-stream"},
	}
	return seeds
}
