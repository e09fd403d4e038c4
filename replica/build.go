package replica

import (
	"cmp"
	"slices"
	"strings"

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

// searchKeys are the prepared search text of every entry. Preparing text is
// the costly part of building a snapshot, so a key is kept while its entry
// is the same value.
type searchKeys struct {
	roles     map[string]model.SearchKey
	tools     map[string]model.SearchKey
	resources map[string]model.SearchKey
	// of remembers which entry value each key was made from.
	of map[string]any
}

// build makes a snapshot of d at feed number seq, reusing the search keys
// of prev for entries that did not change.
func build(seq int64, d *data, prev *Snapshot) *Snapshot {
	s := &Snapshot{
		seq:             seq,
		roles:           d.roles,
		roleSlugs:       make(map[string]*model.Role, len(d.roles)),
		tools:           d.tools,
		toolSlugs:       make(map[string]*model.Tool, len(d.tools)),
		resources:       d.resources,
		resourceSlugs:   make(map[string]*model.LearningResource, len(d.resources)),
		relations:       map[string][]model.Relation{},
		rolesByTool:     map[string][]*model.Role{},
		rolesByResource: map[string][]*model.Role{},
	}
	var old *searchKeys
	if prev != nil {
		old = prev.keys
	}
	s.keys = newKeys(len(d.roles) + len(d.tools) + len(d.resources))
	for id, r := range d.roles {
		s.roleSlugs[r.Slug] = r
		s.byTitle = append(s.byTitle, r)
		s.keys.roles[id] = old.reuse(id, r, func() model.SearchKey { return model.RoleSearchKey(r) }, s.keys)
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
		s.toolSlugs[t.Slug] = t
		s.toolsByKey = append(s.toolsByKey, t)
		s.keys.tools[id] = old.reuse(id, t, func() model.SearchKey { return model.ToolSearchKey(t) }, s.keys)
	}
	sortByKey(s.toolsByKey, func(t *model.Tool) (string, string) { return strings.ToLower(t.Name), t.ID })
	for id, r := range d.resources {
		s.resourceSlugs[r.Slug] = r
		s.resourcesByKey = append(s.resourcesByKey, r)
		s.keys.resources[id] = old.reuse(id, r, func() model.SearchKey { return model.ResourceSearchKey(r) }, s.keys)
	}
	sortByKey(s.resourcesByKey, func(r *model.LearningResource) (string, string) { return strings.ToLower(r.Title), r.ID })
	s.searchOrder = make([]searchEntry, 0, len(s.byTitle)+len(s.toolsByKey)+len(s.resourcesByKey))
	for _, r := range s.byTitle {
		s.searchOrder = append(s.searchOrder, searchEntry{s.keys.roles[r.ID], model.SearchHit{Role: r}})
	}
	for _, t := range s.toolsByKey {
		s.searchOrder = append(s.searchOrder, searchEntry{s.keys.tools[t.ID], model.SearchHit{Tool: t}})
	}
	for _, r := range s.resourcesByKey {
		s.searchOrder = append(s.searchOrder, searchEntry{s.keys.resources[r.ID], model.SearchHit{Resource: r}})
	}
	// Relations in a stable order: the order the store would return them
	// in is its insertion order, which is the id order of their uuid v7s
	// (seeded ones aside), so sort by id.
	rels := make([]model.Relation, 0, len(d.relations))
	for _, r := range d.relations {
		rels = append(rels, r)
	}
	slices.SortFunc(rels, func(a, b model.Relation) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range rels {
		s.relations[r.FromID] = append(s.relations[r.FromID], r)
		s.relations[r.ToID] = append(s.relations[r.ToID], r)
	}
	return s
}

func newKeys(n int) *searchKeys {
	return &searchKeys{roles: map[string]model.SearchKey{}, tools: map[string]model.SearchKey{},
		resources: map[string]model.SearchKey{}, of: make(map[string]any, n)}
}

// reuse returns the key made for entry before, if it is the same value, or
// a new one; either way next remembers it.
func (k *searchKeys) reuse(id string, entry any, make func() model.SearchKey, next *searchKeys) model.SearchKey {
	var key model.SearchKey
	var found bool
	if k != nil && k.of[id] == entry {
		key, found = k.lookup(id)
	}
	if !found {
		key = make()
	}
	next.of[id] = entry
	return key
}

func (k *searchKeys) lookup(id string) (model.SearchKey, bool) {
	if key, ok := k.roles[id]; ok {
		return key, true
	}
	if key, ok := k.tools[id]; ok {
		return key, true
	}
	key, ok := k.resources[id]
	return key, ok
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
