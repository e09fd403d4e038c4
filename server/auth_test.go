package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGuessingKeysIsSlowedDown sends wrong keys from one address until the
// guard stops it: then even the right key is refused with 429 for a while,
// so guessing costs time, not just requests.
func TestGuessingKeysIsSlowedDown(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_ADMIN_TOKEN", adminToken, "FINDER_AUTH_FAILURES_PER_MINUTE", "5"))
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
	if r := post(t, srv.URL, `{ roles { totalCount } }`, nil); r.Status != 200 {
		t.Errorf("an anonymous read from the same address answered %d", r.Status)
	}
}

func TestKeysExpire(t *testing.T) {
	url := editServer(t)
	var made struct{ CreateApiKey struct{ Secret string } }
	expires := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	postAs(t, url, adminToken, `mutation($at: DateTime!) { createApiKey(input: {name: "Short", scopes: [READ], expiresAt: $at}) { secret } }`,
		map[string]any{"at": expires}).decode(t, &made)
	if r := postAs(t, url, made.CreateApiKey.Secret, `{ viewer { name } }`, nil); r.Status != 200 {
		t.Fatalf("a fresh key answered %d %v", r.Status, r.codes())
	}
	time.Sleep(2 * time.Second)
	if r := postAs(t, url, made.CreateApiKey.Secret, `{ viewer { name } }`, nil); r.Status != 401 || !strings.Contains(r.Errors[0].Message, "expired") {
		t.Errorf("an expired key answered %d %+v", r.Status, r.Errors)
	}
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	postAs(t, url, adminToken, `mutation($at: DateTime!) { createApiKey(input: {name: "Past", scopes: [READ], expiresAt: $at}) { secret } }`,
		map[string]any{"at": past}).onlyCode(t, "BAD_USER_INPUT")
}
