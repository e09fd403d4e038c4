package replica

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/finder-platform/finder/model"
)

// An edit touches a handful of entries, and a snapshot of 10,000 roles
// took 55 ms to build from scratch, mostly sorting: a commit waited for it
// before answering. extend makes the next snapshot from the last one
// instead, sorting and preparing again only what the changes touched;
// what stays grows with the catalog only as copying does.

// touched is what a batch of changes wrote, by id.
type touched struct {
	roles, tools, resources, relations map[string]bool
}

func touchedBy(changes []*model.Change) touched {
	t := touched{roles: map[string]bool{}, tools: map[string]bool{}, resources: map[string]bool{}, relations: map[string]bool{}}
	for _, c := range changes {
		for _, w := range c.Writes {
			switch w.Type {
			case model.TypeRole:
				t.roles[w.ID] = true
			case model.TypeTool:
				t.tools[w.ID] = true
			case model.TypeResource:
				t.resources[w.ID] = true
			case model.TypeRelation:
				t.relations[w.ID] = true
			}
		}
	}
	return t
}

// extend returns the snapshot of d as of change seq, made at at, where d
// is prev's data with the touched entries written.
func extend(prev *Snapshot, seq int64, at time.Time, d *data, t touched) *Snapshot {
	s := *prev
	s.seq, s.at = seq, at
	s.roles, s.tools, s.resources, s.relationsByID = d.roles, d.tools, d.resources, d.relations
	if len(t.roles) > 0 {
		s.extendRoles(prev, t.roles)
	}
	if len(t.tools) > 0 {
		s.indexTools()
	}
	if len(t.resources) > 0 {
		s.indexResources()
	}
	if len(t.roles)+len(t.tools)+len(t.resources) > 0 {
		s.keys = maps.Clone(prev.keys)
		for _, kind := range []struct {
			ids  map[string]bool
			make func(id string) (any, func() model.SearchKey, bool)
		}{
			{t.roles, func(id string) (any, func() model.SearchKey, bool) {
				r := s.roles[id]
				return r, func() model.SearchKey { return model.RoleSearchKey(r) }, r != nil
			}},
			{t.tools, func(id string) (any, func() model.SearchKey, bool) {
				x := s.tools[id]
				return x, func() model.SearchKey { return model.ToolSearchKey(x) }, x != nil
			}},
			{t.resources, func(id string) (any, func() model.SearchKey, bool) {
				x := s.resources[id]
				return x, func() model.SearchKey { return model.ResourceSearchKey(x) }, x != nil
			}},
		} {
			for id := range kind.ids {
				entry, make, ok := kind.make(id)
				if !ok {
					delete(s.keys, id)
					continue
				}
				s.keys[id] = preparedKey{entry, prev.keys.reuse(id, entry, make)}
			}
		}
		s.indexSearch()
	}
	if len(t.relations) > 0 {
		s.extendRelations(prev, t.relations)
	}
	return &s
}

// extendRoles updates the role indexes for the touched roles.
func (s *Snapshot) extendRoles(prev *Snapshot, ids map[string]bool) {
	gone := func(r *model.Role) bool { return ids[r.ID] }
	var added []*model.Role
	tools, resources := map[string]bool{}, map[string]bool{}
	s.roleSlugs = maps.Clone(prev.roleSlugs)
	for id := range ids {
		if old := prev.roles[id]; old != nil {
			if s.roleSlugs[old.Slug] == old {
				delete(s.roleSlugs, old.Slug)
			}
			mark(tools, old.ToolIDs)
			mark(resources, old.ResourceIDs)
		}
		if r := s.roles[id]; r != nil {
			added = append(added, r)
			mark(tools, r.ToolIDs)
			mark(resources, r.ResourceIDs)
		}
	}
	for _, r := range added {
		s.roleSlugs[r.Slug] = r
	}
	s.byTitle = insertSorted(without(prev.byTitle, gone), added, byTitleKey)
	s.byUpdate = insertSorted(without(prev.byUpdate, gone), added, byUpdateKey)
	s.rolesByTool = regroup(prev.rolesByTool, tools, gone, added, func(r *model.Role) []string { return r.ToolIDs })
	s.rolesByResource = regroup(prev.rolesByResource, resources, gone, added, func(r *model.Role) []string { return r.ResourceIDs })
}

// regroup returns index with the lists of the given keys made again: without
// the gone roles, with the added roles that list the key, in title order.
func regroup(index map[string][]*model.Role, keys map[string]bool, gone func(*model.Role) bool, added []*model.Role,
	links func(*model.Role) []string) map[string][]*model.Role {
	out := maps.Clone(index)
	for k := range keys {
		var with []*model.Role
		for _, r := range added {
			if slices.Contains(links(r), k) {
				with = append(with, r)
			}
		}
		if list := insertSorted(without(index[k], gone), with, byTitleKey); len(list) > 0 {
			out[k] = list
		} else {
			delete(out, k)
		}
	}
	return out
}

// extendRelations updates each touched relation's roles' lists.
func (s *Snapshot) extendRelations(prev *Snapshot, ids map[string]bool) {
	ends := map[string]bool{}
	for id := range ids {
		for _, r := range []map[string]model.Relation{prev.relationsByID, s.relationsByID} {
			if rel, ok := r[id]; ok {
				ends[rel.FromID], ends[rel.ToID] = true, true
			}
		}
	}
	s.relations = maps.Clone(prev.relations)
	for role := range ends {
		list := slices.DeleteFunc(slices.Clone(prev.relations[role]), func(r model.Relation) bool { return ids[r.ID] })
		for id := range ids {
			if rel, ok := s.relationsByID[id]; ok && (rel.FromID == role || rel.ToID == role) {
				i, _ := slices.BinarySearchFunc(list, rel, byRelationID)
				list = slices.Insert(list, i, rel)
			}
		}
		if len(list) > 0 {
			s.relations[role] = list
		} else {
			delete(s.relations, role)
		}
	}
}

func mark(set map[string]bool, ids []string) {
	for _, id := range ids {
		set[id] = true
	}
}

// without returns a copy of list without the entries gone reports.
func without[T any](list []*T, gone func(*T) bool) []*T {
	out := make([]*T, 0, len(list)+1)
	for _, e := range list {
		if !gone(e) {
			out = append(out, e)
		}
	}
	return out
}

// insertSorted inserts each of add into the sorted list, in place.
func insertSorted[T any](list, add []*T, compare func(a, b *T) int) []*T {
	for _, a := range add {
		i, _ := slices.BinarySearchFunc(list, a, compare)
		list = slices.Insert(list, i, a)
	}
	return list
}

// byTitleKey is the order of the roles list by title.
func byTitleKey(a, b *model.Role) int {
	return cmp.Or(strings.Compare(titleKey(a), titleKey(b)), strings.Compare(a.ID, b.ID))
}

func byRelationID(a, b model.Relation) int { return strings.Compare(a.ID, b.ID) }
