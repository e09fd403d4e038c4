package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCeilingKeysRequests(t *testing.T) {
	s := newCeilingStore()
	card := graphQLGet(roleCardQuery, map[string]any{"slug": "back-end-developer"})
	page := graphQLPost(rolePageQuery, "RolePage", map[string]any{"slug": "back-end-developer"})
	other := graphQLPost(rolePageQuery, "RolePage", map[string]any{"slug": "data-engineer"})
	s.add(card, Response{Status: 200, ContentType: "application/json", Body: []byte(`card`)})
	s.add(page, Response{Status: 200, ContentType: "application/graphql-response+json", Body: []byte(`page`)})
	s.add(other, Response{Status: 200, Body: []byte(`other`)})

	for _, tc := range []struct {
		method, uri, path, body string
		want                    string // "" for not found
	}{
		{"GET", card.Target, "/graphql", "", "card"},
		{"GET", card.Target + "&x=1", "/graphql", "", ""},
		{"GET", "/graphql", "/graphql", "", ""},
		{"POST", "/graphql", "/graphql", string(page.Body), "page"},
		{"POST", "/graphql", "/graphql", string(other.Body), "other"},
		{"POST", "/graphql", "/graphql", string(page.Body) + " ", ""},
		{"POST", "/other", "/other", string(page.Body), ""},
		{"GET", "/graphql", "/graphql", string(page.Body), ""},
		{"PUT", "/graphql", "/graphql", string(page.Body), ""},
	} {
		rec := s.lookup(tc.method, tc.uri, tc.path, []byte(tc.body))
		got := ""
		if rec != nil {
			got = string(rec.body)
		}
		if got != tc.want {
			t.Errorf("%s %s %.30q: got %q, want %q", tc.method, tc.uri, tc.body, got, tc.want)
		}
	}
	if s.len() != 3 {
		t.Errorf("len %d", s.len())
	}
}

func TestCeilingServesTheRecordedBytes(t *testing.T) {
	s := newCeilingStore()
	page := graphQLPost(rolePageQuery, "RolePage", map[string]any{"slug": "x"})
	card := graphQLGet(roleCardQuery, map[string]any{"slug": "x"})
	s.add(page, Response{Status: 200, ContentType: "application/graphql-response+json", Body: []byte(`{"data":{"role":null}}`),
		Header: http.Header{"Content-Type": {"application/graphql-response+json"}, "Etag": {`"abc"`},
			"Cache-Control": {"public, max-age=300"}, "X-Request-Id": {"rec-0001"}, "Date": {"Mon, 01 Jan 2024 00:00:00 GMT"}, "Content-Length": {"999"}}})
	s.add(card, Response{Status: 400, ContentType: "application/json", Body: []byte(`{"errors":[]}`)})
	srv := httptest.NewServer(s)
	defer srv.Close()

	check := func(req *http.Request, status int, ct, body string) {
		t.Helper()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != status || resp.Header.Get("Content-Type") != ct || string(b) != body || resp.ContentLength != int64(len(body)) {
			t.Errorf("%s %s: %d %q %q (length %d)", req.Method, req.URL, resp.StatusCode, resp.Header.Get("Content-Type"), b, resp.ContentLength)
		}
	}
	req, _ := http.NewRequest("POST", srv.URL+page.Target, strings.NewReader(string(page.Body)))
	check(req, 200, "application/graphql-response+json", `{"data":{"role":null}}`)
	// The server's other headers come back as it sent them; Date is the
	// ceiling's own, once.
	resp, err := http.Post(srv.URL+page.Target, "", strings.NewReader(string(page.Body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Etag") != `"abc"` || resp.Header.Get("Cache-Control") != "public, max-age=300" ||
		resp.Header.Get("X-Request-Id") != "rec-0001" || len(resp.Header["Date"]) != 1 || resp.Header.Get("Date") == "Mon, 01 Jan 2024 00:00:00 GMT" {
		t.Errorf("the recorded headers were not replayed: %v", resp.Header)
	}
	req, _ = http.NewRequest("GET", srv.URL+card.Target, nil)
	check(req, 400, "application/json", `{"errors":[]}`)
	req, _ = http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ nothing }"}`))
	check(req, 404, "application/json", string(notRecorded))
	req, _ = http.NewRequest("GET", srv.URL+"/metrics", nil)
	check(req, 200, "text/plain; version=0.0.4; charset=utf-8", emptyMetrics)
}
