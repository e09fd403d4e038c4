package store

import (
	"context"

	"github.com/finder-platform/finder/model"
)

// Search finds candidates in each collection by their search terms, ranks
// them with model.Query.Rank, and returns the best first.
func (s *Store) Search(ctx context.Context, q model.Query, first int) ([]model.SearchHit, error) {
	if q.Empty() {
		return nil, nil
	}
	cond := textCond(q)
	roles, err := findAll(ctx, s.roles, "search roles", cond, nil, roleDoc.model)
	if err != nil {
		return nil, err
	}
	tools, err := findAll(ctx, s.tools, "search tools", cond, nil, toolDoc.model)
	if err != nil {
		return nil, err
	}
	resources, err := findAll(ctx, s.resources, "search resources", cond, nil, resourceDoc.model)
	if err != nil {
		return nil, err
	}
	var hits []model.SearchHit
	for i := range roles {
		if rank, ok := q.Rank(model.RoleSearchKey(&roles[i])); ok {
			hits = append(hits, model.SearchHit{Rank: rank, Role: &roles[i]})
		}
	}
	for i := range tools {
		if rank, ok := q.Rank(model.ToolSearchKey(&tools[i])); ok {
			hits = append(hits, model.SearchHit{Rank: rank, Tool: &tools[i]})
		}
	}
	for i := range resources {
		if rank, ok := q.Rank(model.ResourceSearchKey(&resources[i])); ok {
			hits = append(hits, model.SearchHit{Rank: rank, Resource: &resources[i]})
		}
	}
	model.SortHits(hits)
	return hits[:min(first, len(hits))], nil
}
