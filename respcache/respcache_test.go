package respcache

import (
	"fmt"

	"github.com/finder-platform/finder/model"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// handler answers with a counter, so a test can tell a cached answer from a
// new one, and allows caching unless the query says "nocache".
func handler(calls *int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*calls++
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body)+r.URL.RawQuery, "nocache") {
			model.RequestInfoFrom(r.Context()).Update(func(i *model.RequestFacts) { i.Shareable = true })
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"call":%d}`, *calls)
	})
}

func serve(c *Cache, next http.Handler, method, target, body string, seq int64) (string, string) {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	ctx, _ := model.WithRequestInfo(r.Context())
	r = r.WithContext(ctx)
	w := httptest.NewRecorder()
	c.Serve(w, r, seq, next)
	return w.Body.String(), w.Header().Get("X-Cache")
}

func TestCacheKeepsAllowedAnswersForTheirSnapshot(t *testing.T) {
	calls := 0
	c := New(1<<20, 1<<10)
	h := handler(&calls)
	for _, tc := range []struct {
		method, target, body string
		seq                  int64
		want, cache          string
	}{
		{"GET", "/graphql?query=a", "", 1, `{"call":1}`, "miss"},
		{"GET", "/graphql?query=a", "", 1, `{"call":1}`, "hit"},
		{"GET", "/graphql?query=b", "", 1, `{"call":2}`, "miss"},
		{"POST", "/graphql", `{"query":"a"}`, 1, `{"call":3}`, "miss"},
		{"POST", "/graphql", `{"query":"a"}`, 1, `{"call":3}`, "hit"},
		{"GET", "/graphql?query=a", "", 2, `{"call":4}`, "miss"}, // an edit made it stale
		{"GET", "/graphql?query=a", "", 2, `{"call":4}`, "hit"},
		{"POST", "/graphql", `{"query":"nocache"}`, 2, `{"call":5}`, "miss"},
		{"POST", "/graphql", `{"query":"nocache"}`, 2, `{"call":6}`, "miss"},
		{"POST", "/graphql", strings.Repeat("x", 2000), 2, `{"call":7}`, ""}, // too large to key
	} {
		got, cache := serve(c, h, tc.method, tc.target, tc.body, tc.seq)
		if got != tc.want || cache != tc.cache {
			t.Errorf("%s %s %.20s at %d: %s (%s), want %s (%s)", tc.method, tc.target, tc.body, tc.seq, got, cache, tc.want, tc.cache)
		}
	}
	if hits, misses := c.Stats(); hits != 3 || misses != 6 {
		t.Errorf("stats: %d hits, %d misses", hits, misses)
	}
}

func TestCacheStaysWithinItsBudget(t *testing.T) {
	calls := 0
	c := New(4096, 1<<10)
	h := handler(&calls)
	for i := range 200 {
		serve(c, h, "GET", fmt.Sprintf("/graphql?query=q%d", i), "", 1)
	}
	if c.size > 4096 || len(c.items) != c.order.Len() || len(c.items) == 0 {
		t.Errorf("size %d, %d items, %d in order", c.size, len(c.items), c.order.Len())
	}
	// The most recent answer is still there; the first is gone.
	if _, cache := serve(c, h, "GET", "/graphql?query=q199", "", 1); cache != "hit" {
		t.Error("the most recent answer was evicted")
	}
	if _, cache := serve(c, h, "GET", "/graphql?query=q0", "", 1); cache != "miss" {
		t.Error("the oldest answer was kept past the budget")
	}
}
