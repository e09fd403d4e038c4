// Package graphtest is the tests' client of the GraphQL API: it sends a
// request over real HTTP and reads the answer, for the tests of the edge
// (an in-memory catalog) and of the server (a real store) alike.
package graphtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// RolePageQuery is what the web client asks for a role page: every
// section, and the related roles with their tools. The benchmarks and the
// soak send it.
const RolePageQuery = `query($slug: String!) { role(slug: $slug) {
	title tagline description skills responsibilities
	toolGroups { label tools { slug name } }
	advantages disadvantages goodFit conclusion
	salary { currency period min median max source sourceUrl year }
	learningResources { title provider url kind free }
	relatedRoles { kind note role { slug title tagline tools { slug name } } } } }`

// Response is a GraphQL answer, with its data left raw for the test.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	Status int             `json:"-"`
}

// Error is one error of an answer.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Codes lists the codes of the answer's errors.
func (r Response) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Code())
	}
	return out
}

// Decode decodes the answer's data into v, failing the test on any error.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatal(err)
	}
}

// OnlyCode fails the test unless the answer has errors, all with code.
func (r Response) OnlyCode(t testing.TB, code string) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("no error; want %s (data %s)", code, r.Data)
	}
	for _, e := range r.Errors {
		if e.Code() != code {
			t.Fatalf("errors %+v; want only %s", r.Errors, code)
		}
	}
}

// Post sends a query over POST /graphql at url, with an API key unless key
// is empty, and reads the answer.
func Post(t testing.TB, url, key, query string, vars map[string]any) Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, raw)
	}
	out.Status = resp.StatusCode
	return out
}

// Send makes a request and returns its status, headers and body.
func Send(t testing.TB, method, target, contentType, accept, body string) (int, http.Header, string) {
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

// ServeRepeatedly has h answer one POST of the query b.N times, through
// the whole handler and without a network, failing on any error.
func ServeRepeatedly(b *testing.B, h http.Handler, query string, vars map[string]any) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	Repeat(b, h, body, func(w *httptest.ResponseRecorder) bool {
		return w.Code == http.StatusOK && !bytes.Contains(w.Body.Bytes(), []byte(`"errors"`))
	})
}

// Repeat has h answer one POST of the JSON body b.N times, failing on the
// first answer that ok refuses.
func Repeat(b *testing.B, h http.Handler, body []byte, ok func(*httptest.ResponseRecorder) bool) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if !ok(w) {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
