package replica

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/finder-platform/finder/model"
)

// Snapshot is the whole catalog as of one change of the log, in memory and
// immutable: a request reads one snapshot from start to end, so
// it never sees half of an edit. It implements model.CatalogReader; the
// entries it hands out are shared and must not be modified.
type Snapshot struct {
	seq int64
	at  time.Time // when change seq was made; zero when unknown

	roles     map[string]*model.Role
	roleSlugs map[string]*model.Role
	byTitle   []*model.Role // title order, then id
	byUpdate  []*model.Role // last update order, then id

	tools      map[string]*model.Tool
	toolSlugs  map[string]*model.Tool
	toolsByKey []*model.Tool // name order

	resources      map[string]*model.LearningResource
	resourceSlugs  map[string]*model.LearningResource
	resourcesByKey []*model.LearningResource // title order

	relations       map[string][]model.Relation // by role id, either end
	relationsByID   map[string]model.Relation
	rolesByTool     map[string][]*model.Role // title order
	rolesByResource map[string][]*model.Role // title order

	keys searchKeys
	// searchOrder is every entry with its search key, in the order hits of
	// one rank are sorted in: roles, tools, then resources, each by title.
	searchOrder []searchEntry
	roleKeys    map[*model.Role]*model.SearchKey // into searchOrder
}

type searchEntry struct {
	key model.SearchKey
	hit model.SearchHit
}

var _ model.CatalogReader = (*Snapshot)(nil)

// Seq is the number of the last change the snapshot includes.
func (s *Snapshot) Seq() int64 { return s.seq }

// At is when the snapshot's last change was made; zero when unknown.
func (s *Snapshot) At() time.Time { return s.at }

// Size returns how many roles, tools and learning resources it holds.
func (s *Snapshot) Size() (roles, tools, resources int) {
	return len(s.roles), len(s.tools), len(s.resources)
}

// RoleBySlug returns the role with the slug, or nil.
func (s *Snapshot) RoleBySlug(_ context.Context, slug string) (*model.Role, error) {
	return s.roleSlugs[slug], nil
}

// ToolBySlug returns the tool with the slug, or nil.
func (s *Snapshot) ToolBySlug(_ context.Context, slug string) (*model.Tool, error) {
	return s.toolSlugs[slug], nil
}

// ResourceBySlug returns the learning resource with the slug, or nil.
func (s *Snapshot) ResourceBySlug(_ context.Context, slug string) (*model.LearningResource, error) {
	return s.resourceSlugs[slug], nil
}

// ToolsBySlugs returns the tools with these slugs.
func (s *Snapshot) ToolsBySlugs(_ context.Context, slugs []string) ([]model.Tool, error) {
	return pick(s.toolSlugs, slugs), nil
}

// RolesByIDs returns the roles with these ids.
func (s *Snapshot) RolesByIDs(_ context.Context, ids []string) ([]model.Role, error) {
	return pick(s.roles, ids), nil
}

// ToolsByIDs returns the tools with these ids.
func (s *Snapshot) ToolsByIDs(_ context.Context, ids []string) ([]model.Tool, error) {
	return pick(s.tools, ids), nil
}

// ResourcesByIDs returns the learning resources with these ids.
func (s *Snapshot) ResourcesByIDs(_ context.Context, ids []string) ([]model.LearningResource, error) {
	return pick(s.resources, ids), nil
}

// RolesUsingTools returns, in title order, the roles that list any of the tools.
func (s *Snapshot) RolesUsingTools(_ context.Context, ids []string) ([]model.Role, error) {
	return s.rolesLinkedTo(s.rolesByTool, ids), nil
}

// RolesUsingResources returns, in title order, the roles that list any of
// the learning resources.
func (s *Snapshot) RolesUsingResources(_ context.Context, ids []string) ([]model.Role, error) {
	return s.rolesLinkedTo(s.rolesByResource, ids), nil
}

// RelationsOf returns every relation with one of the roles at an end.
func (s *Snapshot) RelationsOf(_ context.Context, roleIDs []string) ([]model.Relation, error) {
	var out []model.Relation
	seen := map[string]bool{}
	for _, id := range roleIDs {
		for _, r := range s.relations[id] {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func (s *Snapshot) rolesLinkedTo(index map[string][]*model.Role, ids []string) []model.Role {
	seen := map[string]bool{}
	var out []*model.Role
	for _, id := range ids {
		for _, r := range index[id] {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	if len(ids) > 1 {
		sortByTitle(out)
	}
	return values(out)
}

// pick returns copies of the entries with these keys that exist, in key order.
func pick[T any](m map[string]*T, keys []string) []T {
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		if v := m[k]; v != nil {
			out = append(out, *v)
		}
	}
	return out
}

func values[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func titleKey(r *model.Role) string { return strings.ToLower(r.Title) }

func byUpdateKey(a, b *model.Role) int {
	return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), strings.Compare(a.ID, b.ID))
}

// ToolUsage counts the roles that list each tool.
func (s *Snapshot) ToolUsage(context.Context) ([]model.ToolCount, error) {
	out := make([]model.ToolCount, 0, len(s.rolesByTool))
	for id, roles := range s.rolesByTool {
		out = append(out, model.ToolCount{ToolID: id, Roles: len(roles)})
	}
	return out, nil
}
