package replica

import "github.com/finder-platform/finder/model"

// Lookups for the editor, which plans changes on a snapshot. They return
// the snapshot's own values, which are shared and must not be modified.

// Role returns the role with the id, or nil.
func (s *Snapshot) Role(id string) *model.Role { return s.roles[id] }

// RoleWithSlug returns the role with the slug, or nil.
func (s *Snapshot) RoleWithSlug(slug string) *model.Role { return s.roleSlugs[slug] }

// Tool returns the tool with the id, or nil.
func (s *Snapshot) Tool(id string) *model.Tool { return s.tools[id] }

// ToolWithSlug returns the tool with the slug, or nil.
func (s *Snapshot) ToolWithSlug(slug string) *model.Tool { return s.toolSlugs[slug] }

// Resource returns the learning resource with the id, or nil.
func (s *Snapshot) Resource(id string) *model.LearningResource { return s.resources[id] }

// ResourceWithSlug returns the learning resource with the slug, or nil.
func (s *Snapshot) ResourceWithSlug(slug string) *model.LearningResource {
	return s.resourceSlugs[slug]
}

// Relation returns the relation with the id, and whether there is one.
func (s *Snapshot) Relation(id string) (model.Relation, bool) {
	r, ok := s.relationsByID[id]
	return r, ok
}

// Links returns the relations with the role at either end, in the order
// reads list them.
func (s *Snapshot) Links(roleID string) []model.Relation { return s.relations[roleID] }

// UsersOfTool returns the roles that list the tool, in title order.
func (s *Snapshot) UsersOfTool(id string) []*model.Role { return s.rolesByTool[id] }

// UsersOfResource returns the roles that list the learning resource, in
// title order.
func (s *Snapshot) UsersOfResource(id string) []*model.Role { return s.rolesByResource[id] }
