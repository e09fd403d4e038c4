package respcache

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/finder-platform/finder/graph"
)

// ask looks the request up, and on a miss keeps a new answer numbered
// calls unless the request says "nocache", as the edge does with answers
// GraphQL lets it share. It returns the answer and whether it was a hit.
func ask(c *Cache, calls *int, method, target, body string, seq int64) (string, string) {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	key, ok := c.Key(r)
	if !ok {
		*calls++
		return fmt.Sprintf(`{"call":%d}`, *calls), ""
	}
	if e := c.Get(key, seq); e != nil {
		return string(e.Body), "hit"
	}
	*calls++
	res := graph.Result{Status: 200, Body: fmt.Appendf(nil, `{"call":%d}`, *calls)}
	if !strings.Contains(body+r.URL.RawQuery, "nocache") {
		c.Put(key, seq, res)
	}
	return string(res.Body), "miss"
}

func TestCacheKeepsAnswersForTheirSnapshot(t *testing.T) {
	calls := 0
	c := New(1<<20, 1<<10)
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
		got, cache := ask(c, &calls, tc.method, tc.target, tc.body, tc.seq)
		if got != tc.want || cache != tc.cache {
			t.Errorf("%s %s %.20s at %d: %s (%s), want %s (%s)", tc.method, tc.target, tc.body, tc.seq, got, cache, tc.want, tc.cache)
		}
	}
	if hits, misses := c.Stats(); hits != 3 || misses != 6 {
		t.Errorf("stats: %d hits, %d misses", hits, misses)
	}
}

// TestKeyGivesTheBodyBack: a POST's body is read to make the key and is
// still there for the handler to read.
func TestKeyGivesTheBodyBack(t *testing.T) {
	r := httptest.NewRequest("POST", "/graphql", strings.NewReader(`{"query":"a"}`))
	if _, ok := New(1<<20, 1<<10).Key(r); !ok {
		t.Fatal("no key")
	}
	var b [64]byte
	n, _ := r.Body.Read(b[:])
	if got := string(b[:n]); got != `{"query":"a"}` {
		t.Errorf("the handler reads %q", got)
	}
}

func TestCacheStaysWithinItsBudget(t *testing.T) {
	calls := 0
	c := New(4096, 1<<10)
	for i := range 200 {
		ask(c, &calls, "GET", fmt.Sprintf("/graphql?query=q%d", i), "", 1)
	}
	if c.size > 4096 || len(c.items) != c.order.Len() || len(c.items) == 0 {
		t.Errorf("size %d, %d items, %d in order", c.size, len(c.items), c.order.Len())
	}
	// The most recent answer is still there; the first is gone.
	if _, cache := ask(c, &calls, "GET", "/graphql?query=q199", "", 1); cache != "hit" {
		t.Error("the most recent answer was evicted")
	}
	if _, cache := ask(c, &calls, "GET", "/graphql?query=q0", "", 1); cache != "miss" {
		t.Error("the oldest answer was kept past the budget")
	}
}
