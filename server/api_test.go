package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/api")

// sharedServer is one server with the shipped catalog, started by the
// first test that asks and shared by the tests that only read.
func sharedServer(t *testing.T) string {
	t.Helper()
	sharedOnce.Do(func() {
		_, srv := newTestServer(&sharedT{t}, testEnv(t))
		sharedURL = srv.URL
	})
	if sharedURL == "" {
		t.Fatal("the shared server did not start")
	}
	return sharedURL
}

var (
	sharedOnce     sync.Once
	sharedURL      string
	sharedCleanups []func()
)

// sharedT defers the shared server's cleanups to the end of the package's
// tests (TestMain), past the test that happened to start it.
type sharedT struct{ *testing.T }

func (s *sharedT) Cleanup(f func()) { sharedCleanups = append(sharedCleanups, f) }

// TestGolden sends each testdata/api/*.graphql and compares the answer with
// the .json beside it. A first line "# variables: {...}" gives variables.
// Refresh the answers with: go test ./server -run TestGolden -update
func TestGolden(t *testing.T) {
	url := sharedServer(t)
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
			got := goldenJSON(t, post(t, url, string(src), vars))
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
	url := sharedServer(t)
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
			post(t, url, `query($after: String) { roles(first: 7, after: $after, orderBy: `+order+`) {
				totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"after": after}).decode(t, &page)
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

// TestOccupationCodeFilterPages pages through the roles of an occupation
// code two at a time, on the replica and on the store: every role that
// carries the code comes once, none other, and totalCount agrees.
func TestOccupationCodeFilterPages(t *testing.T) {
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, store := newTestServer(t, testEnv(t, "FINDER_READ_FROM", "store"))
	for _, url := range []string{sharedServer(t), store.URL} {
		for _, code := range []string{"15-1252.00", "2512", "11-3021.00"} {
			var want []string
			for _, r := range base.Roles {
				if slices.ContainsFunc(r.Occupations, func(o model.OccupationMatch) bool { return o.Code == code }) {
					want = append(want, r.Slug)
				}
			}
			var got []string
			var after any
			for pages := 0; pages < 50; pages++ {
				var page struct {
					Roles struct {
						TotalCount int
						Nodes      []struct{ Slug string }
						PageInfo   struct {
							HasNextPage bool
							EndCursor   string
						}
					}
				}
				post(t, url, `query($code: String!, $after: String) { roles(first: 2, after: $after, filter: {occupationCodes: [$code]}) {
					totalCount nodes { slug } pageInfo { hasNextPage endCursor } } }`, map[string]any{"code": code, "after": after}).decode(t, &page)
				if page.Roles.TotalCount != len(want) {
					t.Errorf("%s: totalCount %d, want %d", code, page.Roles.TotalCount, len(want))
				}
				for _, n := range page.Roles.Nodes {
					got = append(got, n.Slug)
				}
				if !page.Roles.PageInfo.HasNextPage {
					break
				}
				after = page.Roles.PageInfo.EndCursor
			}
			slices.Sort(got)
			slices.Sort(want)
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("%s: paging found %v, want %v", code, got, want)
			}
		}
	}
}
