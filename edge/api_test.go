package edge

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/finder-platform/finder/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/api")

// TestGolden sends each testdata/api/*.graphql and compares the answer with
// the .json beside it. A first line "# variables: {...}" gives variables.
// Refresh the answers with: go test ./edge -run TestGolden -update
func TestGolden(t *testing.T) {
	url := sharedEdge(t).URL
	files, _ := filepath.Glob("testdata/api/*.graphql")
	if len(files) == 0 {
		t.Fatal("no golden queries")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".graphql")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var vars map[string]any
			if first, _, _ := strings.Cut(string(src), "\n"); strings.HasPrefix(first, "# variables:") {
				if err := json.Unmarshal([]byte(strings.TrimPrefix(first, "# variables:")), &vars); err != nil {
					t.Fatalf("variables: %v", err)
				}
			}
			got := goldenJSON(t, post(t, url, "", string(src), vars))
			golden := strings.TrimSuffix(file, ".graphql") + ".json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answer differs from %s:\n%s", golden, got)
			}
		})
	}
}

// goldenJSON writes a response as indented JSON, with the request id (new
// on every request) replaced so answers compare.
func goldenJSON(t *testing.T, r gqlResponse) []byte {
	out := map[string]any{}
	if r.Data != nil {
		out["data"] = json.RawMessage(r.Data)
	}
	if len(r.Errors) > 0 {
		for i := range r.Errors {
			if _, ok := r.Errors[i].Extensions["requestId"]; ok {
				r.Errors[i].Extensions["requestId"] = "<request id>"
			}
		}
		out["errors"] = r.Errors
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestPaginationVisitsEveryRoleOnce walks roles a few at a time, in both
// orders, and checks that every role of the catalog comes exactly once.
func TestPaginationVisitsEveryRoleOnce(t *testing.T) {
	url := sharedEdge(t).URL
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range cat.Roles {
		want = append(want, r.Slug)
	}
	slices.Sort(want)
	for _, order := range []string{"{field: TITLE}", "{field: UPDATED_AT, direction: DESC}"} {
		var seen []string
		var after any
		pages := 0
		for {
			var page struct {
				Roles struct {
					TotalCount int
					Edges      []struct{ Node struct{ Slug string } }
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			post(t, url, "", `query($after: String) { roles(first: 7, after: $after, orderBy: `+order+`) {
				totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"after": after}).Decode(t, &page)
			for _, e := range page.Roles.Edges {
				seen = append(seen, e.Node.Slug)
			}
			pages++
			if page.Roles.TotalCount != len(want) {
				t.Fatalf("totalCount = %d, want %d", page.Roles.TotalCount, len(want))
			}
			if !page.Roles.PageInfo.HasNextPage {
				break
			}
			after = page.Roles.PageInfo.EndCursor
		}
		slices.Sort(seen)
		if !slices.Equal(seen, want) || pages != (len(want)+6)/7 {
			t.Errorf("order %s: %d pages visited %d roles, want %d roles once each", order, pages, len(seen), len(want))
		}
	}
}
