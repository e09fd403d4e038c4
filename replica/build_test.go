package replica

import (
	"maps"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
)

// BenchmarkEdit times what an instance does to its replica after one role
// changed (apply without the store read): copy the maps and build the next
// snapshot, on the shipped catalog and on 10,000 more roles.
//
//	go test ./replica -run '^$' -bench Edit -benchmem
func BenchmarkEdit(b *testing.B) {
	base, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, extra := range []int{0, 10000} {
		c := catalog.Generate(base, extra, 3)
		d := data{
			roles:     index(c.Roles, func(x *model.Role) string { return x.ID }),
			tools:     index(c.Tools, func(x *model.Tool) string { return x.ID }),
			resources: index(c.Resources, func(x *model.LearningResource) string { return x.ID }),
			relations: map[string]model.Relation{},
		}
		for _, rel := range c.Relations {
			d.relations[rel.ID] = rel
		}
		prev := build(1, time.Time{}, &d, nil)
		edited := c.Roles[0]
		edited.Tagline += " (edited)"
		b.Run(fmtRoles(extra), func(b *testing.B) {
			for b.Loop() {
				next := data{roles: maps.Clone(d.roles), tools: maps.Clone(d.tools),
					resources: maps.Clone(d.resources), relations: maps.Clone(d.relations)}
				next.roles[edited.ID] = &edited
				build(2, time.Time{}, &next, prev)
			}
		})
	}
}

func fmtRoles(extra int) string {
	if extra == 0 {
		return "roles=+0"
	}
	return "roles=+10000"
}
