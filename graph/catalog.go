package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vikstrous/dataloadgen"

	"github.com/finder-platform/finder/loaders"
	"github.com/finder-platform/finder/model"
)

// The resolvers' helpers, kept out of *.resolvers.go, which gqlgen rewrites.

// maxOccupationCodes bounds the codes one roles filter may name.
const maxOccupationCodes = 50

// roleFilter turns the API's filter, which names tools by slug, into the
// reader's, which names them by id. An unknown slug is an error: an analyst's
// typo should not read as "no role uses this".
func (r *Resolver) roleFilter(ctx context.Context, in *model.RoleFilter) (model.RoleFilter, error) {
	if in == nil {
		return model.RoleFilter{}, nil
	}
	f := *in
	if err := checkText("filter.text", f.Text); err != nil {
		return f, err
	}
	if len(f.OccupationCodes) > maxOccupationCodes {
		return f, model.FieldErrorf("filter.occupationCodes", "must name at most %d codes", maxOccupationCodes)
	}
	for i, code := range f.OccupationCodes {
		if !model.ValidOccupationCode(code) {
			return f, model.FieldErrorf(fmt.Sprintf("filter.occupationCodes[%d]", i),
				"must be an O*NET-SOC code such as \"15-1252.00\" or an ISCO-08 code such as \"2512\"")
		}
	}
	if len(f.UsesTools) == 0 {
		return f, nil
	}
	tools, err := toolsBySlug(ctx, "filter.usesTools", f.UsesTools)
	if err != nil {
		return f, err
	}
	f.UsesTools = make([]string, len(in.UsesTools))
	for i, slug := range in.UsesTools {
		if tools[i] == nil {
			return f, model.FieldErrorf(fmt.Sprintf("filter.usesTools[%d]", i), "no tool has %s; list tools with the tools query", model.SlugPhrase(slug))
		}
		f.UsesTools[i] = tools[i].ID
	}
	return f, nil
}

// toolsBySlug reads the tools a list of at most MaxToolsPerRole slugs
// names (field is the list, for errors): each slug's tool, nil where no
// tool has it.
func toolsBySlug(ctx context.Context, field string, slugs []string) ([]*model.Tool, error) {
	if len(slugs) > model.MaxToolsPerRole {
		return nil, model.FieldErrorf(field, "must name at most %d tools", model.MaxToolsPerRole)
	}
	found, err := reader(ctx).ToolsBySlugs(ctx, slugs)
	if err != nil {
		return nil, err
	}
	bySlug := make(map[string]*model.Tool, len(found))
	for i := range found {
		bySlug[found[i].Slug] = &found[i]
	}
	out := make([]*model.Tool, len(slugs))
	for i, s := range slugs {
		out[i] = bySlug[s]
	}
	return out, nil
}

// roleOrder fills in the default order: by title, ascending.
func roleOrder(in *model.RoleOrder) model.RoleOrder {
	o := model.RoleOrder{Field: model.OrderByTitle, Direction: model.Asc}
	if in != nil {
		o.Field = in.Field
		if in.Direction != "" {
			o.Direction = in.Direction
		}
	}
	return o
}

// loadNode looks up a global id through the request's loaders.
func loadNode(ctx context.Context, id string) (model.Node, error) {
	typ, raw, err := model.ParseGlobalID("id", id)
	if err != nil {
		return nil, err
	}
	l := loaders.For(ctx)
	// Each case returns nil itself: a nil *Role in a Node would not be null.
	switch typ {
	case model.TypeRole:
		if r, err := l.RoleByID.Load(ctx, raw); r != nil || err != nil {
			return r, err
		}
	case model.TypeTool:
		if t, err := l.ToolByID.Load(ctx, raw); t != nil || err != nil {
			return t, err
		}
	case model.TypeResource:
		if x, err := l.ResourceByID.Load(ctx, raw); x != nil || err != nil {
			return x, err
		}
	}
	return nil, nil
}

// relatedRoles returns a role's links, of one kind when asked, ordered by
// kind (as RelationKind lists them) and then by the other role's title.
// Links to roles that no longer exist are left out.
func relatedRoles(ctx context.Context, role *model.Role, kind *model.RelationKind) ([]*model.RoleRelation, error) {
	l := loaders.For(ctx)
	rels, err := l.RelationsByRoleID.Load(ctx, role.ID)
	if err != nil {
		return nil, err
	}
	if kind != nil {
		rels = slices.DeleteFunc(slices.Clone(rels), func(rr model.RoleRelation) bool { return rr.Kind != *kind })
	}
	ids := make([]string, len(rels))
	for i, rr := range rels {
		ids[i] = rr.RoleID
	}
	roles, err := l.RoleByID.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.RoleRelation, 0, len(rels))
	titles := map[string]string{}
	for i, rr := range rels {
		if roles[i] != nil {
			out = append(out, &rr)
			titles[rr.RoleID] = roles[i].Title
		}
	}
	slices.SortStableFunc(out, func(a, b *model.RoleRelation) int {
		if c := slices.Index(model.RelationKinds, a.Kind) - slices.Index(model.RelationKinds, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(titles[a.RoleID], titles[b.RoleID])
	})
	return out, nil
}

// rolesLinkedTo loads the roles that list a tool or resource, and hands
// them to the by-id loader so that following a link back to them reads nothing.
func rolesLinkedTo(ctx context.Context, l *dataloadgen.Loader[string, []*model.Role], id string) ([]*model.Role, error) {
	roles, err := l.Load(ctx, id)
	for _, r := range roles {
		loaders.For(ctx).RoleByID.Prime(r.ID, r)
	}
	return roles, err
}

// searchResults turns hits into the union's members, priming the loaders.
func searchResults(ctx context.Context, hits []model.SearchHit) []model.SearchResult {
	l := loaders.For(ctx)
	out := make([]model.SearchResult, 0, len(hits))
	for _, h := range hits {
		switch {
		case h.Role != nil:
			l.RoleByID.Prime(h.Role.ID, h.Role)
			out = append(out, h.Role)
		case h.Tool != nil:
			l.ToolByID.Prime(h.Tool.ID, h.Tool)
			out = append(out, h.Tool)
		case h.Resource != nil:
			l.ResourceByID.Prime(h.Resource.ID, h.Resource)
			out = append(out, h.Resource)
		}
	}
	return out
}

func filter[T any](items []T, keep func(T) bool) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}
