package store

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// CreateRole adds a role. Its tools and learning resources are named by
// slug and must exist; a taken slug is CONFLICT.
func (s *Store) CreateRole(ctx context.Context, in model.RoleInput) (*model.Role, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	toolIDs, resIDs, err := s.roleLinks(ctx, in)
	if err != nil {
		return nil, err
	}
	// A taken slug is found by the unique index when the role is inserted,
	// the edit's first write, so nothing is left behind. Asking first
	// would read every role on FerretDB (a find by slug is a full scan).
	e := s.newEdit("createRole")
	role := roleFromInput(in, toolIDs, resIDs)
	role.ID, role.Version, role.CreatedAt, role.UpdatedAt = uuid.Must(uuid.NewV7()).String(), 1, e.at, e.at
	doc := toRoleDoc(&role)
	doc.LastChange = e.id
	e.add(write{coll: s.roles, id: role.ID, insert: doc, conflict: slugTakenMessage(model.TypeRole, in.Slug)},
		entryDocFor(model.TypeRole, role.ID, role.Slug, model.ActionCreated, 1, model.RoleFields, nil, in.Fields(nil)))
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &role, nil
}

// UpdateRole replaces a role's fields and links with in, if the role is
// still at expectedVersion; otherwise it is CONFLICT and nothing changes.
func (s *Store) UpdateRole(ctx context.Context, id string, in model.RoleInput, expectedVersion int) (*model.Role, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	return s.changeRole(ctx, "updateRole", id, &expectedVersion, func(cur *model.RoleInput) error {
		*cur = in
		return nil
	})
}

// AttachTools adds tools, by slug, to a role's tools; tools it already has
// stay where they are. With expectedVersion nil, a concurrent edit is
// retried, since adding to a set loses nobody's change.
func (s *Store) AttachTools(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return s.retryMerge(ctx, "attachTools", roleID, expectedVersion, func(in *model.RoleInput) error {
		in.ToolSlugs = union(in.ToolSlugs, slugs)
		return nil
	})
}

// DetachTools removes tools, by slug, from a role.
func (s *Store) DetachTools(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return s.retryMerge(ctx, "detachTools", roleID, expectedVersion, func(in *model.RoleInput) error {
		in.ToolSlugs = without(in.ToolSlugs, slugs)
		return nil
	})
}

// AttachResources adds learning resources, by slug, to a role.
func (s *Store) AttachResources(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return s.retryMerge(ctx, "attachLearningResources", roleID, expectedVersion, func(in *model.RoleInput) error {
		in.LearningResourceSlugs = union(in.LearningResourceSlugs, slugs)
		return nil
	})
}

// DetachResources removes learning resources, by slug, from a role.
func (s *Store) DetachResources(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return s.retryMerge(ctx, "detachLearningResources", roleID, expectedVersion, func(in *model.RoleInput) error {
		in.LearningResourceSlugs = without(in.LearningResourceSlugs, slugs)
		return nil
	})
}

// retryMerge runs changeRole, and retries a merge that lost a race when the
// client did not pin a version.
func (s *Store) retryMerge(ctx context.Context, op, id string, expected *int, merge func(*model.RoleInput) error) (*model.Role, error) {
	for attempt := 0; ; attempt++ {
		role, err := s.changeRole(ctx, op, id, expected, merge)
		if expected != nil || attempt == 2 || model.ErrorCodeOf(err) != model.CodeConflict {
			return role, err
		}
	}
}

// changeRole reads a role as an input, lets change edit it, and writes the
// result as the role's next version. A change that changes nothing writes
// nothing and returns the role as it is.
func (s *Store) changeRole(ctx context.Context, op, id string, expected *int, change func(*model.RoleInput) error) (*model.Role, error) {
	cur, ok, err := load[roleDoc](ctx, s.roles, "read role", byID(id))
	if err != nil || !ok {
		return nil, errors.Join(err, notFoundIf(!ok, model.TypeRole, id))
	}
	if expected != nil && cur.doc.Version != *expected {
		return nil, stale(model.TypeRole, cur.doc.Slug, cur.doc.Version, *expected)
	}
	before, err := s.roleFields(ctx, cur.doc, nil)
	if err != nil {
		return nil, err
	}
	old := cur.doc.model()
	in := inputOf(&old, before["toolSlugs"].([]string), before["learningResourceSlugs"].([]string))
	if err := change(&in); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	after := in.Fields(nil)
	fields := model.Diff(model.RoleFields, before, after)
	if len(fields) == 0 {
		return &old, nil
	}
	toolIDs, resIDs, err := s.roleLinks(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.Slug != old.Slug {
		if _, taken, err := load[slugDoc](ctx, s.roles, "check role slug", bySlug(in.Slug)); err != nil || taken {
			return nil, errors.Join(err, slugTaken(taken, model.TypeRole, in.Slug))
		}
	}
	e := s.newEdit(op)
	role := roleFromInput(in, toolIDs, resIDs)
	role.ID, role.Version, role.CreatedAt, role.UpdatedAt = old.ID, old.Version+1, old.CreatedAt, e.at
	doc := toRoleDoc(&role)
	doc.LastChange = e.id
	e.add(write{coll: s.roles, id: id, replace: doc, version: old.Version, before: cur.raw,
		conflict: "The role was changed or deleted by someone else while this edit ran; reload it and try again."},
		&entryDoc{Type: model.TypeRole, ID: id, Slug: role.Slug, Action: string(model.ActionUpdated), Version: role.Version, Fields: fieldDocs(fields)})
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &role, nil
}

// DeleteRole deletes a role and every link to it; the roles it linked to
// change too, so each of them gets a new version.
func (s *Store) DeleteRole(ctx context.Context, id string) error {
	cur, ok, err := load[roleDoc](ctx, s.roles, "read role", byID(id))
	if err != nil || !ok {
		return errors.Join(err, notFoundIf(!ok, model.TypeRole, id))
	}
	links, err := s.loadRelations(ctx, []string{id})
	if err != nil {
		return err
	}
	var otherIDs []string
	for _, l := range links {
		rr, _ := model.RelationFrom(l.doc.model(), id)
		otherIDs = append(otherIDs, rr.RoleID)
	}
	others, err := loadAll[roleDoc](ctx, s.roles, "read related roles", byIDs(otherIDs))
	if err != nil {
		return err
	}
	// The related roles' lists before and after, over all their links.
	all, err := s.RelationsOf(ctx, append([]string{id}, otherIDs...))
	if err != nil {
		return err
	}
	before, err := s.relatedLists(ctx, append([]string{id}, otherIDs...), all)
	if err != nil {
		return err
	}
	after, err := s.relatedLists(ctx, otherIDs, slices.DeleteFunc(all, func(r model.Relation) bool { return r.FromID == id || r.ToID == id }))
	if err != nil {
		return err
	}
	fields, err := s.roleFields(ctx, cur.doc, before[id])
	if err != nil {
		return err
	}
	e := s.newEdit("deleteRole")
	// The role goes first: from then on readers see it gone, and skip any
	// relation that still points at it.
	e.add(write{coll: s.roles, id: id, remove: true, version: cur.doc.Version, before: cur.raw,
		conflict: "The role was changed by someone else while it was being deleted; reload it and try again."},
		entryDocFor(model.TypeRole, id, cur.doc.Slug, model.ActionDeleted, 0, model.RoleFields, fields, nil))
	for _, l := range links {
		e.add(write{coll: s.relations, id: l.doc.ID, remove: true, before: l.raw,
			conflict: "A link of the role changed while it was being deleted; try again."}, nil)
	}
	for _, o := range others {
		e.add(write{coll: s.roles, id: o.doc.ID, replace: bumped(o.doc, e), version: o.doc.Version, before: o.raw,
			conflict: "A related role changed while this one was being deleted; try again."},
			linksEntry(o.doc, before[o.doc.ID], after[o.doc.ID]))
	}
	_, err = s.apply(ctx, e)
	return err
}

// linksEntry records a change to a role's links alone.
func linksEntry(d roleDoc, before, after []string) *entryDoc {
	return entryDocFor(model.TypeRole, d.ID, d.Slug, model.ActionUpdated, d.Version+1, []string{"relatedRoles"},
		map[string]any{"relatedRoles": before}, map[string]any{"relatedRoles": after})
}

// roleLinks resolves a role input's tool and resource slugs to ids.
func (s *Store) roleLinks(ctx context.Context, in model.RoleInput) (toolIDs, resIDs []string, err error) {
	toolIDs, err = idsOf(ctx, s.tools, "input.toolSlugs", "tool", in.ToolSlugs)
	if err != nil {
		return nil, nil, err
	}
	resIDs, err = idsOf(ctx, s.resources, "input.learningResourceSlugs", "learning resource", in.LearningResourceSlugs)
	return toolIDs, resIDs, err
}

func roleFromInput(in model.RoleInput, toolIDs, resIDs []string) model.Role {
	return model.Role{Slug: in.Slug, Title: in.Title, Family: in.Family, Tagline: in.Tagline,
		Description: in.Description, Skills: in.Skills, Responsibilities: in.Responsibilities,
		ToolIDs: toolIDs, Advantages: in.Advantages, Disadvantages: in.Disadvantages,
		GoodFit: in.GoodFit, Conclusion: in.Conclusion, Salary: in.Salary, ResourceIDs: resIDs}
}

func notFoundIf(missing bool, typ, id string) error {
	if !missing {
		return nil
	}
	return notFound(typ, id)
}

func slugTakenMessage(typ, slug string) string {
	return "A " + typeWords[typ] + " with the slug \"" + slug + "\" already exists; choose another slug."
}

func slugTaken(taken bool, typ, slug string) error {
	if !taken {
		return nil
	}
	return &model.Error{Code: model.CodeConflict, Field: "input.slug", Message: slugTakenMessage(typ, slug)}
}

// union returns list with the items of add it lacks appended.
func union(list, add []string) []string {
	out := slices.Clone(list)
	for _, a := range add {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// without returns list without the items of remove.
func without(list, remove []string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(remove, s) })
}
