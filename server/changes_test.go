package main

import (
	"slices"
	"strings"
	"testing"
)

// TestChangesFeedPagesAndNamesWhatChanged edits with a named key, then reads
// the public feed without one, two changes a page: every change comes once,
// in order, with the entries it touched and how, and never the key's name.
func TestChangesFeedPagesAndNamesWhatChanged(t *testing.T) {
	url := editServer(t)
	var key struct{ CreateApiKey struct{ Secret string } }
	postAs(t, url, adminToken, `mutation { createApiKey(input: {name: "Editor Zelda Quill", scopes: [WRITE]}) { secret } }`, nil).Decode(t, &key)
	editor := key.CreateApiKey.Secret
	r := mustCreateRoleAs(t, url, editor, "feed-role")
	for _, m := range []string{
		`mutation { relateRoles(from: "feed-role", to: "data-analyst", kind: NEXT_STEP) { kind } }`,
		`mutation { createTool(input: {slug: "feed-tool", name: "Feed Tool", category: OTHER}) { id } }`,
	} {
		if resp := postAs(t, url, editor, m, nil); len(resp.Errors) > 0 {
			t.Fatal(resp.Errors)
		}
	}
	if resp := postAs(t, url, editor, `mutation($id: ID!) { deleteRole(id: $id) }`, map[string]any{"id": r.ID}); len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}

	const feed = `query($after: String) { changes(first: 2, after: $after) { totalCount
		edges { cursor node { seq at mutation entries { type id slug action } } } pageInfo { hasNextPage endCursor } } }`
	type entry struct{ Type, ID, Slug, Action string }
	var seen []struct {
		Seq      int
		Mutation string
		Entries  []entry
	}
	var after any
	for pages := 0; pages < 10; pages++ {
		resp := post(t, url, feed, map[string]any{"after": after})
		if strings.Contains(string(resp.Data), "Zelda") {
			t.Fatalf("the public feed shows the editor's key name: %s", resp.Data)
		}
		var page struct {
			Changes struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Seq      int
						Mutation string
						Entries  []entry
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		resp.Decode(t, &page)
		if page.Changes.TotalCount != 5 {
			t.Errorf("totalCount %d, want 5 (the seeding and four edits)", page.Changes.TotalCount)
		}
		for _, e := range page.Changes.Edges {
			seen = append(seen, e.Node)
		}
		if !page.Changes.PageInfo.HasNextPage {
			break
		}
		after = page.Changes.PageInfo.EndCursor
	}
	var mutations []string
	for i, c := range seen {
		mutations = append(mutations, c.Mutation)
		if c.Seq != i+1 {
			t.Errorf("change %d has number %d", i+1, c.Seq)
		}
	}
	if want := []string{"seed", "createRole", "relateRoles", "createTool", "deleteRole"}; !slices.Equal(mutations, want) {
		t.Fatalf("the feed lists %v, want %v", mutations, want)
	}
	touched := func(c int) []string {
		var out []string
		for _, e := range seen[c].Entries {
			out = append(out, e.Type+" "+e.Slug+" "+e.Action)
		}
		slices.Sort(out)
		return out
	}
	for c, want := range map[int][]string{
		1: {"Role feed-role CREATED"},
		2: {"Role data-analyst UPDATED", "Role feed-role UPDATED"},
		3: {"Tool feed-tool CREATED"},
		4: {"Role data-analyst UPDATED", "Role feed-role DELETED"},
	} {
		if got := touched(c); !slices.Equal(got, want) {
			t.Errorf("%s touched %v, want %v", seen[c].Mutation, got, want)
		}
	}
	if seen[1].Entries[0].ID != r.ID {
		t.Errorf("the created role's id in the feed is %s, want its global id %s", seen[1].Entries[0].ID, r.ID)
	}
	// The feed has no field for who made a change.
	if resp := post(t, url, `{ changes { nodes { actor } } }`, nil); len(resp.Errors) == 0 || resp.Errors[0].Code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("asking the feed for the actor: %+v", resp)
	}
}

// TestChangesFeedSince starts the feed at the first change made at or
// after a time.
func TestChangesFeedSince(t *testing.T) {
	url := editServer(t)
	mustCreateRole(t, url, "before-the-time")
	var at struct {
		Changes struct{ Nodes []struct{ At string } }
	}
	post(t, url, `{ changes(first: 100) { nodes { at } } }`, nil).Decode(t, &at)
	mark := at.Changes.Nodes[len(at.Changes.Nodes)-1].At
	mustCreateRole(t, url, "after-the-time")
	var got struct {
		Changes struct {
			TotalCount int
			Nodes      []struct {
				Mutation string
				Entries  []struct{ Slug string }
			}
		}
	}
	post(t, url, `query($since: DateTime) { changes(since: $since) { totalCount nodes { mutation entries { slug } } } }`,
		map[string]any{"since": mark}).Decode(t, &got)
	var slugs []string
	for _, n := range got.Changes.Nodes {
		slugs = append(slugs, n.Entries[0].Slug)
	}
	if got.Changes.TotalCount != 2 || !slices.Equal(slugs, []string{"before-the-time", "after-the-time"}) {
		t.Errorf("since %s: %d changes, %v", mark, got.Changes.TotalCount, slugs)
	}
}
