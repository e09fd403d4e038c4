package edge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/finder-platform/finder/model"
)

// TestGuessingKeysIsSlowedDown sends wrong keys from one address until the
// guard stops it: then even the right key is refused with 429 for a while,
// so guessing costs time, not just requests.
func TestGuessingKeysIsSlowedDown(t *testing.T) {
	srv := newTestEdge(t, 0, func(d *Deps) { d.Config.AdminToken, d.Config.AuthFailures = adminToken, 5 })
	ask := func(key string) *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	var statuses []int
	for i := range 7 {
		statuses = append(statuses, ask(fmt.Sprintf("fk_guess-number-%d-xxxxxxxxxxxx", i)).StatusCode)
	}
	if fmt.Sprint(statuses) != "[401 401 401 401 401 429 429]" {
		t.Errorf("statuses of wrong keys %v; want five refusals, then 429", statuses)
	}
	if resp := ask(adminToken); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the right key from a guessing address answered %d, Retry-After %q; want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Requests without a key are not held up.
	if r := post(t, srv.URL, "", `{ roles { totalCount } }`, nil); r.Status != 200 {
		t.Errorf("an anonymous read from the same address answered %d", r.Status)
	}
}

// TestKeysAreCheckedAndCounted sends each kind of key: a usable one reads
// as its viewer and its use is counted; a malformed, unknown, revoked or
// expired one is refused with 401 and says why; keys that cannot be
// checked because the store is away are 503, not 401.
func TestKeysAreCheckedAndCounted(t *testing.T) {
	te := newTestEdge(t, 0, nil)
	past := time.Now().Add(-time.Minute)
	te.keys.add("fk_good-0123456789abcdef", model.APIKey{ID: "good", Name: "Partner", Scopes: []model.Scope{model.ScopeRead}})
	te.keys.add("fk_revoked-0123456789abc", model.APIKey{ID: "revoked", Name: "Old", RevokedAt: &past})
	te.keys.add("fk_expired-0123456789abc", model.APIKey{ID: "expired", Name: "Short", ExpiresAt: &past})
	for _, tc := range []struct {
		name, header string
		status       int
		want         string
	}{
		{"usable", "Bearer fk_good-0123456789abcdef", 200, `"Partner"`},
		{"lower-case scheme", "bearer fk_good-0123456789abcdef", 200, `"Partner"`},
		{"not bearer", "Basic dXNlcjpwYXNz", 401, "must be"},
		{"no secret", "Bearer ", 401, "must be"},
		{"unknown", "Bearer fk_unknown-0123456789ab", 401, "unknown, revoked or expired"},
		{"revoked", "Bearer fk_revoked-0123456789abc", 401, "unknown, revoked or expired"},
		{"expired", "Bearer fk_expired-0123456789abc", 401, "unknown, revoked or expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", te.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { name } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", tc.header)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
				t.Errorf("%d %s; want %d with %q", resp.StatusCode, body, tc.status, tc.want)
			}
			if tc.status == 401 && (resp.Header.Get("WWW-Authenticate") == "" || !strings.Contains(string(body), "UNAUTHENTICATED")) {
				t.Errorf("a refused key: WWW-Authenticate %q, body %s", resp.Header.Get("WWW-Authenticate"), body)
			}
		})
	}
	te.FlushUsage(context.Background())
	if got := te.keys.usage["good"]; got != 2 {
		t.Errorf("the usable key's use was counted %d times, want 2 (%v)", got, te.keys.usage)
	}
	te.keys.err = errors.New("store away")
	if r := post(t, te.URL, "fk_good-0123456789abcdef", `{ viewer { name } }`, nil); r.Status != 503 || r.Codes()[0] != "SERVICE_UNAVAILABLE" {
		t.Errorf("with the store away a key answered %d %v, want 503", r.Status, r.Codes())
	}
}
