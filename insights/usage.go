package insights

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/finder-platform/finder/model"
)

// Usage returns the tools most roles use, most used first, ties by name;
// with a category, only tools of that category. It reads the counts (the
// store counts them itself), then only as many tools as it needs to fill
// first places of the category.
func Usage(ctx context.Context, r model.CatalogReader, category *model.ToolCategory, first int) ([]*model.ToolUsage, error) {
	counts, err := r.ToolUsage(ctx)
	if err != nil {
		return nil, err
	}
	return top(ctx, r, counts, category, first)
}

// UsedWith returns the tools most often listed beside the tool, with how
// many roles list both, most first, ties by name. roles are the roles that
// list the tool: the caller reads them through its loader, in one batch
// for every tool of a request.
func UsedWith(ctx context.Context, r model.CatalogReader, tool *model.Tool, roles []*model.Role, first int) ([]*model.ToolUsage, error) {
	n := map[string]int{}
	for _, role := range roles {
		for _, id := range role.ToolIDs {
			if id != tool.ID {
				n[id]++
			}
		}
	}
	counts := make([]model.ToolCount, 0, len(n))
	for id, c := range n {
		counts = append(counts, model.ToolCount{ToolID: id, Roles: c})
	}
	return top(ctx, r, counts, nil, first)
}

// top returns the first places by count, then name. It reads tools in
// batches, most used first, until the places are filled and every tool
// tied with the last place is read.
func top(ctx context.Context, r model.CatalogReader, counts []model.ToolCount, category *model.ToolCategory, first int) ([]*model.ToolUsage, error) {
	slices.SortFunc(counts, func(a, b model.ToolCount) int {
		return cmp.Or(cmp.Compare(b.Roles, a.Roles), strings.Compare(a.ToolID, b.ToolID))
	})
	out := []*model.ToolUsage{}
	batch := max(first*2, 50)
	for start := 0; start < len(counts); start += batch {
		if len(out) >= first && counts[start].Roles < out[first-1].RoleCount {
			break // nothing further can tie with the last place
		}
		chunk := counts[start:min(start+batch, len(counts))]
		ids := make([]string, len(chunk))
		for i, c := range chunk {
			ids[i] = c.ToolID
		}
		tools, err := toolsByID(ctx, r, ids)
		if err != nil {
			return nil, err
		}
		for _, c := range chunk {
			if t := tools[c.ToolID]; t != nil && (category == nil || t.Category == *category) {
				// In count order, as counts are: the check above needs
				// no sorting.
				out = append(out, &model.ToolUsage{Tool: t, RoleCount: c.Roles})
			}
		}
	}
	slices.SortFunc(out, func(a, b *model.ToolUsage) int {
		return cmp.Or(cmp.Compare(b.RoleCount, a.RoleCount), strings.Compare(strings.ToLower(a.Tool.Name), strings.ToLower(b.Tool.Name)))
	})
	return out[:min(first, len(out))], nil
}
