package replica

import (
	"context"
	"slices"
	"strings"

	"github.com/finder-platform/finder/model"
)

// ListRoles returns one page of the roles that pass the filter, with the
// same order and cursors as the store.
func (s *Snapshot) ListRoles(_ context.Context, f model.RoleFilter, o model.RoleOrder, p model.PageRequest) (model.Page[model.Role], error) {
	q := model.NewQuery(f.Text)
	keep := func(r *model.Role) bool {
		// By the role's pointer: reading the role's id to find its key
		// cost a cache miss a role (16 ms for a walk of 10,000).
		if f.Text != "" {
			if _, ok := q.Rank(*s.roleKeys[r]); !ok {
				return false
			}
		}
		if len(f.Families) > 0 && !slices.Contains(f.Families, r.Family) {
			return false
		}
		if len(f.OccupationCodes) > 0 && !f.HasOccupation(r) {
			return false
		}
		for _, id := range f.UsesTools {
			if !slices.Contains(r.ToolIDs, id) {
				return false
			}
		}
		return true
	}
	list, key := s.byTitle, func(r *model.Role) model.Cursor { return model.Cursor{Key: titleKey(r), ID: r.ID} }
	if o.Field == model.OrderByUpdatedAt {
		if p.After != nil {
			if _, err := model.ParseTimeKey(p.After.Key); err != nil {
				return model.Page[model.Role]{}, err
			}
		}
		list, key = s.byUpdate, func(r *model.Role) model.Cursor { return model.Cursor{Key: model.TimeKey(r.UpdatedAt), ID: r.ID} }
	}
	return page(list, key, keep, o.Direction == model.Desc, p), nil
}

// ListTools returns one page of the tools that pass the filter, by name.
func (s *Snapshot) ListTools(_ context.Context, f model.ToolFilter, p model.PageRequest) (model.Page[model.Tool], error) {
	q := model.NewQuery(f.Text)
	keep := func(t *model.Tool) bool {
		if len(f.Categories) > 0 && !slices.Contains(f.Categories, t.Category) {
			return false
		}
		_, ok := q.Rank(s.keys[t.ID].key)
		return f.Text == "" || ok
	}
	key := func(t *model.Tool) model.Cursor { return model.Cursor{Key: strings.ToLower(t.Name), ID: t.ID} }
	return page(s.toolsByKey, key, keep, false, p), nil
}

// ListResources returns one page of the learning resources that pass the
// filter, by title.
func (s *Snapshot) ListResources(_ context.Context, f model.ResourceFilter, p model.PageRequest) (model.Page[model.LearningResource], error) {
	q := model.NewQuery(f.Text)
	keep := func(r *model.LearningResource) bool {
		if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, r.Kind) {
			return false
		}
		if f.Free != nil && r.Free != *f.Free {
			return false
		}
		_, ok := q.Rank(s.keys[r.ID].key)
		return f.Text == "" || ok
	}
	key := func(r *model.LearningResource) model.Cursor {
		return model.Cursor{Key: strings.ToLower(r.Title), ID: r.ID}
	}
	return page(s.resourcesByKey, key, keep, false, p), nil
}

// page walks a sorted list from the place after the cursor, forwards or
// backwards, and returns the first p.First entries that keep accepts. The
// total is counted only when asked for.
func page[T any](list []*T, key func(*T) model.Cursor, keep func(*T) bool, desc bool, p model.PageRequest) model.Page[T] {
	out := model.Page[T]{Total: func(context.Context) (int, error) {
		n := 0
		for _, e := range list {
			if keep(e) {
				n++
			}
		}
		return n, nil
	}}
	// start is the first index strictly after the cursor, in list order.
	start := 0
	if p.After != nil {
		start, _ = slices.BinarySearchFunc(list, *p.After, func(e *T, c model.Cursor) int {
			k := key(e)
			if r := strings.Compare(k.Key, c.Key); r != 0 {
				return r
			}
			return strings.Compare(k.ID, c.ID)
		})
		if !desc && start < len(list) && key(list[start]) == *p.After {
			start++
		}
	}
	next := func(i int) int { return i + 1 }
	i := start
	if desc {
		next = func(i int) int { return i - 1 }
		i = len(list) - 1
		if p.After != nil {
			i = start - 1
		}
	}
	for ; i >= 0 && i < len(list); i = next(i) {
		if !keep(list[i]) {
			continue
		}
		if len(out.Items) == p.First {
			out.HasNext = true
			break
		}
		out.Items = append(out.Items, *list[i])
		out.Cursors = append(out.Cursors, key(list[i]))
	}
	return out
}

// Search returns the entries that best match the query, best first.
//
// Entries are visited in the order model.SortHits puts hits of one rank in
// (searchOrder), so only the first few of each rank are kept and nothing is
// sorted. Titles are matched first, on every entry; the other text, which
// is most of the memory a search reads, only until enough hits are found.
// So a common word stops after a few entries, and a word found nowhere is
// mostly turned away by each key's prefix bits.
func (s *Snapshot) Search(_ context.Context, q model.Query, first int) ([]model.SearchHit, error) {
	if q.Empty() || first <= 0 {
		return nil, nil
	}
	var byTitle [model.RankTitleWords + 1][]model.SearchHit
	found := 0
	for i := range s.searchOrder {
		e := &s.searchOrder[i]
		if rank, ok := q.RankTitle(e.key); ok && len(byTitle[rank]) < first {
			hit := e.hit
			hit.Rank = rank
			byTitle[rank] = append(byTitle[rank], hit)
			found++
		}
	}
	hits := slices.Concat(byTitle[:]...)
	for i := 0; i < len(s.searchOrder) && found < first; i++ {
		e := &s.searchOrder[i]
		if _, titled := q.RankTitle(e.key); !titled && q.MatchesText(e.key) {
			hit := e.hit
			hit.Rank = model.RankOtherText
			hits = append(hits, hit)
			found++
		}
	}
	return hits[:min(first, len(hits))], nil
}
