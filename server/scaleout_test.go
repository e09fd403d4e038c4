package main

import (
	"context"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/store"
)

// TestTwoInstancesAgreeWithinTwoSeconds runs two server processes on one
// store process. An edit made through either is served by the other within
// two seconds, without a restart, and each serves its own edits at once:
// on the shipped catalog, and with 10,000 more roles, where the embedded
// store reads a whole collection for any find but one by _id alone.
func TestTwoInstancesAgreeWithinTwoSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	t.Run("seeded", func(t *testing.T) { twoInstancesAgree(t, 0) })
	t.Run("10000 more roles", func(t *testing.T) { twoInstancesAgree(t, 10000) })
}

func twoInstancesAgree(t *testing.T, generated int) {
	_, uri := startStore(t, t.TempDir())
	if generated > 0 {
		s, err := store.Open(t.Context(), store.Options{URI: uri, Database: "finder"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close(context.Background())
		base, err := catalog.Load()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EnsureIndexes(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Seed(t.Context(), store.SeedData(*catalog.Generate(base, generated, 1))); err != nil {
			t.Fatal(err)
		}
	}
	_, a := startServer(t, uri)
	_, b := startServer(t, uri)
	for _, u := range []string{a, b} {
		readyIs(t, u, 200, 60*time.Second)
	}
	var id struct{ Role struct{ ID string } }
	post(t, a, `{ role(slug: "data-analyst") { id } }`, nil).Decode(t, &id)
	for i, pair := range []struct{ writer, reader string }{{a, b}, {b, a}, {a, b}} {
		title := []string{"Data Analyst (edited on A)", "Data Analyst (edited on B)", "Data Analyst"}[i]
		in := newRole("data-analyst")
		in["title"] = title
		var out struct{ UpdateRole struct{ Version int } }
		postAs(t, pair.writer, adminToken, `mutation($id: ID!, $in: RoleInput!, $v: Int!) { updateRole(id: $id, input: $in, expectedVersion: $v) { version } }`,
			map[string]any{"id": id.Role.ID, "in": in, "v": i + 1}).Decode(t, &out)
		written := time.Now()
		// The writer serves its own edit at once.
		var got struct{ Role struct{ Title string } }
		post(t, pair.writer, `{ role(slug: "data-analyst") { title } }`, nil).Decode(t, &got)
		if got.Role.Title != title {
			t.Fatalf("the writer serves %q right after writing %q", got.Role.Title, title)
		}
		// The other serves it within two seconds.
		for {
			post(t, pair.reader, `{ role(slug: "data-analyst") { title } }`, nil).Decode(t, &got)
			if got.Role.Title == title {
				t.Logf("edit %d seen by the other instance after %v", i+1, time.Since(written).Round(time.Millisecond))
				break
			}
			if time.Since(written) > 2*time.Second {
				t.Fatalf("edit %d: the other instance still serves %q after 2s", i+1, got.Role.Title)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
