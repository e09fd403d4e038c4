package replica

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/finder-platform/finder/model"
)

// data is the catalog as a replica keeps it between snapshots: entries by
// id, each an immutable value that snapshots share.
type data struct {
	roles     map[string]*model.Role
	tools     map[string]*model.Tool
	resources map[string]*model.LearningResource
	relations map[string]model.Relation
}

// searchKeys are the prepared search text of every entry, by id, with the
// entry value each was made from. Preparing text is costly, so a key is kept
// while its entry is the same value.
type searchKeys map[string]preparedKey

type preparedKey struct {
	of  any
	key model.SearchKey
}

// reuse returns prev's key for the entry if it was made from this very
// value, and otherwise makes one.
func (prev searchKeys) reuse(id string, entry any, make func() model.SearchKey) model.SearchKey {
	if p, ok := prev[id]; ok && p.of == entry {
		return p.key
	}
	return make()
}

// build makes a snapshot of d as of change seq, made at at, from scratch:
// at load. After an edit, extend makes the next one from the last.
func build(seq int64, at time.Time, d *data) *Snapshot {
	s := &Snapshot{
		seq:             seq,
		at:              at,
		roles:           d.roles,
		roleSlugs:       make(map[string]*model.Role, len(d.roles)),
		tools:           d.tools,
		resources:       d.resources,
		relations:       map[string][]model.Relation{},
		relationsByID:   d.relations,
		rolesByTool:     map[string][]*model.Role{},
		rolesByResource: map[string][]*model.Role{},
		keys:            make(searchKeys, len(d.roles)+len(d.tools)+len(d.resources)),
	}
	for id, r := range d.roles {
		s.roleSlugs[r.Slug] = r
		s.byTitle = append(s.byTitle, r)
		s.keys[id] = preparedKey{r, model.RoleSearchKey(r)}
	}
	sortByTitle(s.byTitle)
	s.byUpdate = slices.SortedFunc(slices.Values(s.byTitle), byUpdateKey)
	for _, r := range s.byTitle { // title order, so each list below is too
		for _, id := range r.ToolIDs {
			s.rolesByTool[id] = append(s.rolesByTool[id], r)
		}
		for _, id := range r.ResourceIDs {
			s.rolesByResource[id] = append(s.rolesByResource[id], r)
		}
	}
	for id, t := range d.tools {
		s.keys[id] = preparedKey{t, model.ToolSearchKey(t)}
	}
	for id, r := range d.resources {
		s.keys[id] = preparedKey{r, model.ResourceSearchKey(r)}
	}
	s.indexTools()
	s.indexResources()
	s.indexSearch()
	// Relations in a stable order: the order the store would return them
	// in is its insertion order, which is the id order of their uuid v7s
	// (seeded ones aside), so sort by id.
	rels := make([]model.Relation, 0, len(d.relations))
	for _, r := range d.relations {
		rels = append(rels, r)
	}
	slices.SortFunc(rels, byRelationID)
	for _, r := range rels {
		s.relations[r.FromID] = append(s.relations[r.FromID], r)
		s.relations[r.ToID] = append(s.relations[r.ToID], r)
	}
	return s
}

// indexTools makes the tools' lookups by slug and by name. Tools are a few
// hundred: they are made again whole.
func (s *Snapshot) indexTools() {
	s.toolSlugs = make(map[string]*model.Tool, len(s.tools))
	s.toolsByKey = make([]*model.Tool, 0, len(s.tools))
	for _, t := range s.tools {
		s.toolSlugs[t.Slug] = t
		s.toolsByKey = append(s.toolsByKey, t)
	}
	sortByKey(s.toolsByKey, func(t *model.Tool) (string, string) { return strings.ToLower(t.Name), t.ID })
}

// indexResources makes the learning resources' lookups by slug and title.
func (s *Snapshot) indexResources() {
	s.resourceSlugs = make(map[string]*model.LearningResource, len(s.resources))
	s.resourcesByKey = make([]*model.LearningResource, 0, len(s.resources))
	for _, r := range s.resources {
		s.resourceSlugs[r.Slug] = r
		s.resourcesByKey = append(s.resourcesByKey, r)
	}
	sortByKey(s.resourcesByKey, func(r *model.LearningResource) (string, string) { return strings.ToLower(r.Title), r.ID })
}

// indexSearch lays out every entry's search key in the order search visits
// them (roles, tools, then resources, each in its list's order), and each
// role's key by the role, for the roles list's text filter.
func (s *Snapshot) indexSearch() {
	s.searchOrder = make([]searchEntry, 0, len(s.byTitle)+len(s.toolsByKey)+len(s.resourcesByKey))
	for _, r := range s.byTitle {
		s.searchOrder = append(s.searchOrder, searchEntry{s.keys[r.ID].key, model.SearchHit{Role: r}})
	}
	s.roleKeys = make(map[*model.Role]*model.SearchKey, len(s.byTitle))
	for i, r := range s.byTitle {
		s.roleKeys[r] = &s.searchOrder[i].key
	}
	for _, t := range s.toolsByKey {
		s.searchOrder = append(s.searchOrder, searchEntry{s.keys[t.ID].key, model.SearchHit{Tool: t}})
	}
	for _, r := range s.resourcesByKey {
		s.searchOrder = append(s.searchOrder, searchEntry{s.keys[r.ID].key, model.SearchHit{Resource: r}})
	}
}

// sortByKey sorts list by a key, then by id, computing each entry's key
// once: the keys are lowercased titles, and lowercasing in every comparison
// made sorting 10,000 roles half the cost of a build.
func sortByKey[T any](list []*T, key func(*T) (key, id string)) {
	type keyed struct {
		key, id string
		v       *T
	}
	ks := make([]keyed, len(list))
	for i, v := range list {
		k, id := key(v)
		ks[i] = keyed{k, id, v}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.id, b.id)) })
	for i := range ks {
		list[i] = ks[i].v
	}
}

// sortByTitle sorts roles in the order of the roles list by title.
func sortByTitle(roles []*model.Role) {
	sortByKey(roles, func(r *model.Role) (string, string) { return titleKey(r), r.ID })
}
