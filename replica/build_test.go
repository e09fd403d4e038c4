package replica

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
)

// dataOf is a catalog as a replica holds it.
func dataOf(c *catalog.Catalog) data {
	d := data{
		roles:     index(c.Roles, func(x *model.Role) string { return x.ID }),
		tools:     index(c.Tools, func(x *model.Tool) string { return x.ID }),
		resources: index(c.Resources, func(x *model.LearningResource) string { return x.ID }),
		relations: map[string]model.Relation{},
	}
	for _, rel := range c.Relations {
		d.relations[rel.ID] = rel
	}
	return d
}

// applied returns a copy of d with c's writes, as applyAll makes it.
func applied(d data, c *model.Change) data {
	next := data{roles: maps.Clone(d.roles), tools: maps.Clone(d.tools),
		resources: maps.Clone(d.resources), relations: maps.Clone(d.relations)}
	next.apply(c)
	return next
}

// BenchmarkEdit times what an instance does to its replica after one role
// changed: copy the maps and make the next snapshot, on the shipped catalog
// and on 10,000 more roles.
//
//	go test ./replica -run '^$' -bench Edit -benchmem
func BenchmarkEdit(b *testing.B) {
	base, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, extra := range []int{0, 10000} {
		d := dataOf(catalog.Generate(base, extra, 3))
		prev := build(1, time.Time{}, &d)
		edited := *prev.RoleWithSlug("back-end-developer")
		edited.Tagline += " (edited)"
		c := &model.Change{Seq: 2, Writes: []model.Write{{Type: model.TypeRole, ID: edited.ID, Role: &edited}}}
		b.Run(fmt.Sprintf("roles=+%d", extra), func(b *testing.B) {
			for b.Loop() {
				next := applied(d, c)
				extend(prev, 2, time.Time{}, &next, touchedBy([]*model.Change{c}))
			}
		})
	}
}

// TestExtendMatchesBuild makes random edits of every kind to a catalog and
// checks, after each, that the snapshot extend makes from the last one is
// the snapshot build makes from scratch.
func TestExtendMatchesBuild(t *testing.T) {
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := dataOf(catalog.Generate(base, 100, 5))
	snap := build(0, time.Time{}, &d)
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(ids []string) string { return ids[rng.IntN(len(ids))] }
	for seq := int64(1); seq <= 150; seq++ {
		c := &model.Change{Seq: seq}
		roleIDs, toolIDs := slices.Sorted(maps.Keys(d.roles)), slices.Sorted(maps.Keys(d.tools))
		resIDs, relIDs := slices.Sorted(maps.Keys(d.resources)), slices.Sorted(maps.Keys(d.relations))
		for n := range 1 + rng.IntN(3) {
			switch rng.IntN(9) {
			case 0: // a role renamed, retitled, with other tools
				r := *d.roles[pick(roleIDs)]
				r.Title = fmt.Sprintf("Edited %d %s", seq, r.Title[:1])
				r.Slug = fmt.Sprintf("edited-%d-%d", seq, n) // slugs stay unique, as the editor keeps them
				r.ToolIDs = []string{pick(toolIDs), pick(toolIDs)}
				r.ResourceIDs = []string{pick(resIDs)}
				r.Version++
				r.UpdatedAt = time.Unix(seq, 0)
				c.Writes = append(c.Writes, model.Write{Type: model.TypeRole, ID: r.ID, Role: &r})
			case 1: // a new role
				r := *d.roles[pick(roleIDs)]
				r.ID, r.Slug, r.Title = fmt.Sprintf("new-role-%d-%d", seq, n), fmt.Sprintf("new-role-%d-%d", seq, n), fmt.Sprintf("A New Role %d", seq)
				c.Writes = append(c.Writes, model.Write{Type: model.TypeRole, ID: r.ID, Created: true, Role: &r})
			case 2: // a role deleted, with its links
				id := pick(roleIDs)
				c.Writes = append(c.Writes, model.Write{Type: model.TypeRole, ID: id})
				for _, rel := range snap.Links(id) {
					c.Writes = append(c.Writes, model.Write{Type: model.TypeRelation, ID: rel.ID})
				}
			case 3: // a tool renamed
				x := *d.tools[pick(toolIDs)]
				x.Name = fmt.Sprintf("Tool %d", seq)
				c.Writes = append(c.Writes, model.Write{Type: model.TypeTool, ID: x.ID, Tool: &x})
			case 4: // a tool deleted
				c.Writes = append(c.Writes, model.Write{Type: model.TypeTool, ID: pick(toolIDs)})
			case 5: // a resource retitled
				x := *d.resources[pick(resIDs)]
				x.Title = fmt.Sprintf("Resource %d", seq)
				c.Writes = append(c.Writes, model.Write{Type: model.TypeResource, ID: x.ID, Resource: &x})
			case 6: // a new link
				from, to := pick(roleIDs), pick(roleIDs)
				if from == to {
					continue // a role is never related to itself
				}
				rel := model.Relation{ID: fmt.Sprintf("rel-%d-%d", seq, rng.IntN(1000)), FromID: from, ToID: to, Kind: model.RelationNextStep}
				c.Writes = append(c.Writes, model.Write{Type: model.TypeRelation, ID: rel.ID, Created: true, Relation: &rel})
			case 7: // a link changed
				rel := d.relations[pick(relIDs)]
				rel.Note = fmt.Sprintf("note %d", seq)
				c.Writes = append(c.Writes, model.Write{Type: model.TypeRelation, ID: rel.ID, Relation: &rel})
			case 8: // a link removed
				c.Writes = append(c.Writes, model.Write{Type: model.TypeRelation, ID: pick(relIDs)})
			}
		}
		d = applied(d, c)
		snap = extend(snap, seq, time.Time{}, &d, touchedBy([]*model.Change{c}))
		sameSnapshot(t, seq, snap, build(seq, time.Time{}, &d))
		if t.Failed() {
			return
		}
	}
}

// sameSnapshot compares every index of two snapshots, by ids.
func sameSnapshot(t *testing.T, seq int64, got, want *Snapshot) {
	t.Helper()
	ids := func(roles []*model.Role) []string {
		out := []string{}
		for _, r := range roles {
			out = append(out, r.ID)
		}
		return out
	}
	grouped := func(m map[string][]*model.Role) map[string][]string {
		out := map[string][]string{}
		for k, v := range m {
			out[k] = ids(v)
		}
		return out
	}
	hits := func(s *Snapshot) []string {
		out := []string{}
		for _, e := range s.searchOrder {
			out = append(out, fmt.Sprintf("%p %p %p %v", e.hit.Role, e.hit.Tool, e.hit.Resource, e.key))
		}
		return out
	}
	keyOf := func(s *Snapshot) map[string]model.SearchKey {
		out := map[string]model.SearchKey{}
		for r, k := range s.roleKeys {
			out[r.ID] = *k
		}
		return out
	}
	slugs := func(m map[string]*model.Role) map[string]string {
		out := map[string]string{}
		for slug, r := range m {
			out[slug] = r.ID
		}
		return out
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"roles by slug", slugs(got.roleSlugs), slugs(want.roleSlugs)},
		{"roles by title", ids(got.byTitle), ids(want.byTitle)},
		{"roles by update", ids(got.byUpdate), ids(want.byUpdate)},
		{"roles by tool", grouped(got.rolesByTool), grouped(want.rolesByTool)},
		{"roles by resource", grouped(got.rolesByResource), grouped(want.rolesByResource)},
		{"tools by slug", got.toolSlugs, want.toolSlugs},
		{"tools by name", got.toolsByKey, want.toolsByKey},
		{"resources by title", got.resourcesByKey, want.resourcesByKey},
		{"relations", got.relations, want.relations},
		{"search order", hits(got), hits(want)},
		{"role keys", keyOf(got), keyOf(want)},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("after change %d, %s differ from a snapshot built from scratch", seq, c.what)
		}
	}
}
