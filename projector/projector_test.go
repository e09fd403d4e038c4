package projector_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"slices"
	"testing"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/editor"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/projector"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	ctx    = context.Background()
	quiet  = slog.New(slog.DiscardHandler)
	editAs = model.WithViewer(ctx, &model.Viewer{Name: "test", Scopes: model.Scopes})
)

// TestACrashAtEachStepLosesNothing commits a change that writes several
// documents, then crashes the projection at each step: before any of its
// documents is written, after each one, and after all of them but before
// the place is recorded. Each time, the next start's projector writes the
// collections as the log says, and a replica loaded from them agrees.
func TestACrashAtEachStepLosesNothing(t *testing.T) {
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Deleting a tool that several roles use writes a document for each
	// of them and one for the tool.
	const tool = "docker"
	for step := 0; ; step++ {
		s := storetest.Open(t)
		if _, err := s.Seed(ctx, store.SeedData(*base)); err != nil {
			t.Fatal(err)
		}
		// An instance projects the seeding, then commits the change and
		// dies before it projects it whole.
		before := projector.New(s, quiet, true)
		before.Start(ctx)
		r, err := replica.Open(ctx, s, quiet, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := r.Current().ToolWithSlug(tool).ID
		if err := editor.New(s, r, quiet).DeleteTool(editAs, id, true); err != nil {
			t.Fatal(err)
		}
		c, err := s.ChangeAt(ctx, r.Current().Seq())
		if err != nil || c == nil {
			t.Fatalf("the committed change: %v, %v", c, err)
		}
		if step > len(c.Writes) {
			return
		}
		partial := *c
		partial.Writes = c.Writes[:step]
		if err := s.Project(ctx, &partial); err != nil {
			t.Fatal(err)
		}

		// The next start.
		after := projector.New(s, quiet, true)
		after.Start(ctx)
		if after.Done() != c.Seq {
			t.Errorf("step %d: the next start projected up to %d, want %d", step, after.Done(), c.Seq)
		}
		dump, _, err := s.LoadAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameCatalog(t, step, dump, r.Current())
		fresh, err := replica.Open(ctx, s, quiet, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fresh.Current().ToolWithSlug(tool) != nil || len(fresh.Current().UsersOfTool(id)) != 0 {
			t.Errorf("step %d: a replica loaded after the start still has the deleted tool or its users", step)
		}
	}
}

// sameCatalog compares the collections with the catalog the editing
// instance holds, entry by entry.
func sameCatalog(t *testing.T, step int, d store.Dump, want *replica.Snapshot) {
	t.Helper()
	ids := map[string]string{}
	for _, r := range d.Roles {
		ids["role "+r.ID] = jsonOf(r)
	}
	for _, x := range d.Tools {
		ids["tool "+x.ID] = jsonOf(x)
	}
	for _, x := range d.Resources {
		ids["resource "+x.ID] = jsonOf(x)
	}
	for _, x := range d.Relations {
		ids["relation "+x.ID] = jsonOf(x)
	}
	wantIDs := map[string]string{}
	roles, _ := want.ListRoles(ctx, model.RoleFilter{}, model.RoleOrder{Field: model.OrderByTitle}, model.PageRequest{First: 100_000})
	var roleIDs []string
	for _, r := range roles.Items {
		wantIDs["role "+r.ID] = jsonOf(r)
		roleIDs = append(roleIDs, r.ID)
	}
	tools, _ := want.ListTools(ctx, model.ToolFilter{}, model.PageRequest{First: 100_000})
	for _, x := range tools.Items {
		wantIDs["tool "+x.ID] = jsonOf(x)
	}
	resources, _ := want.ListResources(ctx, model.ResourceFilter{}, model.PageRequest{First: 100_000})
	for _, x := range resources.Items {
		wantIDs["resource "+x.ID] = jsonOf(x)
	}
	rels, _ := want.RelationsOf(ctx, roleIDs)
	for _, x := range rels {
		wantIDs["relation "+x.ID] = jsonOf(x)
	}
	for _, k := range slices.Sorted(maps.Keys(wantIDs)) {
		if ids[k] != wantIDs[k] {
			t.Errorf("step %d: %s is\n%s\nin the collections, want\n%s", step, k, ids[k], wantIDs[k])
		}
	}
	for k := range ids {
		if _, ok := wantIDs[k]; !ok {
			t.Errorf("step %d: the collections still hold %s", step, k)
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
