package main

import (
	"slices"
	"testing"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
)

// TestOccupationCodeFilterPages pages through the roles of an occupation
// code two at a time, on the replica and on the store: every role that
// carries the code comes once, none other, and totalCount agrees.
func TestOccupationCodeFilterPages(t *testing.T) {
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, memory := newTestServer(t, testEnv(t))
	_, store := newTestServer(t, testEnv(t, "FINDER_READ_FROM", "store"))
	for _, url := range []string{memory.URL, store.URL} {
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
					totalCount nodes { slug } pageInfo { hasNextPage endCursor } } }`, map[string]any{"code": code, "after": after}).Decode(t, &page)
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
