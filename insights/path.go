// Package insights answers the questions role catalogs leave open: how to
// get from one role to another, how roles compare, which roles a person's
// tools already fit, and which tools the field uses most. Every answer is
// computed from batch reads of a model.CatalogReader (one per level of a
// path search, one per kind of link), never from the whole catalog at once.
package insights

import (
	"cmp"
	"context"
	"slices"

	"github.com/finder-platform/finder/model"
)

// MaxPathLength bounds a path search; the catalog's longest shortest path
// is far shorter.
const MaxPathLength = 30

// CareerPath returns the shortest path over role links from one role to
// another, links read in either direction; among the shortest, the one
// whose steps ask for the fewest new tools in all; among those, the first
// by the slugs of its roles. It returns nil when no path links the roles.
func CareerPath(ctx context.Context, r model.CatalogReader, from, to *model.Role) (*model.CareerPath, error) {
	dag, err := shortestPaths(ctx, r, from.ID, to.ID)
	if err != nil || dag == nil {
		return nil, err
	}
	onPath := dag.onPathsTo(to.ID)
	roles, err := byID(ctx, onPath, r.RolesByIDs, func(x *model.Role) string { return x.ID })
	if err != nil {
		return nil, err
	}
	ids := dag.cheapest(from.ID, to.ID, onPath, roles)
	if ids == nil {
		return nil, nil // a role on every path was deleted meanwhile
	}
	return steps(ctx, r, ids, roles, dag.links)
}

// pathDAG holds every shortest path from a start: each node's distance and
// the nodes one step nearer the start, and the link between them.
type pathDAG struct {
	dist    map[string]int
	parents map[string][]string
	links   map[[2]string]model.RoleRelation // (a, b): how a relates to b
}

// shortestPaths searches breadth first, one batch of relations per level,
// until the level that reaches to. It returns nil when to is unreachable.
func shortestPaths(ctx context.Context, r model.CatalogReader, from, to string) (*pathDAG, error) {
	d := &pathDAG{dist: map[string]int{from: 0}, parents: map[string][]string{}, links: map[[2]string]model.RoleRelation{}}
	frontier := []string{from}
	for level := 1; len(frontier) > 0 && level <= MaxPathLength && from != to; level++ {
		rels, err := r.RelationsOf(ctx, frontier)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, rel := range rels {
			for _, p := range []string{rel.FromID, rel.ToID} {
				if dp, ok := d.dist[p]; !ok || dp != level-1 {
					continue // not an end on this level's frontier
				}
				view, _ := model.RelationFrom(rel, p)
				v := view.RoleID
				seen, known := d.dist[v]
				if !known {
					d.dist[v] = level
					next = append(next, v)
					seen = level
				}
				if seen == level && !slices.Contains(d.parents[v], p) {
					d.parents[v] = append(d.parents[v], p)
					d.links[[2]string{p, v}] = view
				}
			}
		}
		if _, found := d.dist[to]; found {
			return d, nil
		}
		frontier = next
	}
	if from == to {
		return d, nil
	}
	return nil, nil
}

// onPathsTo returns the nodes on some shortest path to to: to and, going
// back through parents, every node it can be reached from.
func (d *pathDAG) onPathsTo(to string) []string {
	on := map[string]bool{to: true}
	queue := []string{to}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, p := range d.parents[v] {
			if !on[p] {
				on[p] = true
				queue = append(queue, p)
			}
		}
	}
	out := make([]string, 0, len(on))
	for id := range on {
		out = append(out, id)
	}
	return out
}

// cheapest walks the DAG from the start in order of distance, keeping for
// each node the path to it that gains the fewest tools (ties: the smaller
// sequence of slugs), and returns the path to to. onPath is onPathsTo(to).
func (d *pathDAG) cheapest(from, to string, onPath []string, roles map[string]*model.Role) []string {
	type best struct {
		cost  int
		path  []string // ids
		slugs []string
	}
	if roles[from] == nil {
		return nil
	}
	order := slices.Clone(onPath)
	slices.SortFunc(order, func(a, b string) int { return cmp.Compare(d.dist[a], d.dist[b]) })
	bests := map[string]best{}
	bests[from] = best{path: []string{from}, slugs: []string{roles[from].Slug}}
	for _, v := range order {
		if v == from || roles[v] == nil {
			continue
		}
		for _, p := range d.parents[v] {
			bp, ok := bests[p]
			if !ok {
				continue
			}
			c := best{cost: bp.cost + len(gained(roles[p], roles[v])),
				path: append(slices.Clip(bp.path), v), slugs: append(slices.Clip(bp.slugs), roles[v].Slug)}
			if cur, ok := bests[v]; !ok || c.cost < cur.cost || c.cost == cur.cost && slices.Compare(c.slugs, cur.slugs) < 0 {
				bests[v] = c
			}
		}
	}
	return bests[to].path
}

// gained returns the ids of next's tools that prev does not list, in
// next's order.
func gained(prev, next *model.Role) []string {
	var out []string
	for _, id := range next.ToolIDs {
		if !slices.Contains(prev.ToolIDs, id) {
			out = append(out, id)
		}
	}
	return out
}

// steps turns a path of role ids into its steps, reading the tools and
// resources of every step in one batch each.
func steps(ctx context.Context, r model.CatalogReader, ids []string, roles map[string]*model.Role, links map[[2]string]model.RoleRelation) (*model.CareerPath, error) {
	gains := make([][]string, len(ids)) // the tools each step adds
	var toolIDs, resIDs []string
	for i, id := range ids {
		if i > 0 {
			gains[i] = gained(roles[ids[i-1]], roles[id])
			toolIDs = append(toolIDs, gains[i]...)
		}
		resIDs = append(resIDs, roles[id].ResourceIDs...)
	}
	tools, err := toolsByID(ctx, r, toolIDs)
	if err != nil {
		return nil, err
	}
	resByID, err := byID(ctx, resIDs, r.ResourcesByIDs, func(x *model.LearningResource) string { return x.ID })
	if err != nil {
		return nil, err
	}
	path := &model.CareerPath{}
	for i, id := range ids {
		step := model.CareerStep{Role: roles[id], GainTools: []*model.Tool{}, LearningResources: []*model.LearningResource{}}
		if i > 0 {
			kind := links[[2]string{ids[i-1], id}].Kind
			step.Via = &kind
			for _, t := range gains[i] {
				if tools[t] != nil {
					step.GainTools = append(step.GainTools, tools[t])
				}
			}
			path.NewTools += len(step.GainTools)
		}
		for _, res := range roles[id].ResourceIDs {
			if resByID[res] != nil {
				step.LearningResources = append(step.LearningResources, resByID[res])
			}
		}
		path.Steps = append(path.Steps, step)
	}
	return path, nil
}

// toolsByID reads tools in one batch and indexes them by id.
func toolsByID(ctx context.Context, r model.CatalogReader, ids []string) (map[string]*model.Tool, error) {
	return byID(ctx, ids, r.ToolsByIDs, func(x *model.Tool) string { return x.ID })
}

// byID reads entries in one batch and indexes them by id.
func byID[T any](ctx context.Context, ids []string, read func(context.Context, []string) ([]T, error), id func(*T) string) (map[string]*T, error) {
	items, err := read(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*T, len(items))
	for i := range items {
		out[id(&items[i])] = &items[i]
	}
	return out, nil
}
