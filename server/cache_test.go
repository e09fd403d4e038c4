package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestResponsesAreCachedUntilAnEdit fetches a role card twice (the second
// from the cache), edits the role, and checks the next fetch is new.
func TestResponsesAreCachedUntilAnEdit(t *testing.T) {
	u := editServer(t)
	card := u + "/graphql?query=" + url.QueryEscape(`{ role(slug: "back-end-developer") { title version } }`)
	get := func(header map[string]string) (string, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, card, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return b.String(), resp.Header.Get("X-Cache")
	}
	first, c1 := get(nil)
	second, c2 := get(nil)
	if c1 != "miss" || c2 != "hit" || first != second {
		t.Fatalf("two fetches: %s (%s), %s (%s)", first, c1, second, c2)
	}
	if _, c := get(map[string]string{"Authorization": "Bearer " + adminToken}); c != "" {
		t.Errorf("a keyed request went through the cache (%s)", c)
	}
	var id struct{ Role struct{ ID string } }
	post(t, u, `{ role(slug: "back-end-developer") { id } }`, nil).Decode(t, &id)
	postAs(t, u, adminToken, `mutation($id: ID!) { attachTools(roleId: $id, toolSlugs: ["kubernetes"]) { version } }`,
		map[string]any{"id": id.Role.ID}).Decode(t, &struct{}{})
	third, c3 := get(nil)
	if c3 != "miss" || !strings.Contains(third, `"version":2`) {
		t.Errorf("after an edit: %s (%s), want version 2 freshly computed", third, c3)
	}
}
