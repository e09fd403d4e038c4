package editor

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// CreateRole adds a role. Its tools and learning resources are named by
// slug and must exist; a taken slug is CONFLICT.
func (e *Editor) CreateRole(ctx context.Context, in model.RoleInput) (*model.Role, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	var role model.Role
	_, err := e.commit(ctx, "createRole", func(d *draft) error {
		if d.snap.RoleWithSlug(in.Slug) != nil {
			return slugTaken(model.TypeRole, in.Slug)
		}
		toolIDs, resIDs, err := roleLinks(d, in)
		if err != nil {
			return err
		}
		role = roleFromInput(in, toolIDs, resIDs, d)
		role.ID, role.Version, role.CreatedAt, role.UpdatedAt = uuid.Must(uuid.NewV7()).String(), 1, d.at, d.at
		d.write(model.Write{Type: model.TypeRole, ID: role.ID, Created: true, Role: &role},
			entryFor(model.TypeRole, role.ID, role.Slug, model.ActionCreated, 1, model.RoleFields, nil, fieldsOf(&role, in, nil)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &role, nil
}

// UpdateRole replaces a role's fields and links with in, if the role is
// still at expectedVersion; otherwise it is CONFLICT and nothing changes.
func (e *Editor) UpdateRole(ctx context.Context, id string, in model.RoleInput, expectedVersion int) (*model.Role, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	return e.changeRole(ctx, "updateRole", id, &expectedVersion, func(_ *draft, cur *model.RoleInput) error {
		*cur = in
		return nil
	})
}

// AttachTools adds tools, by slug, to a role's tools; tools it already has
// stay where they are. Without expectedVersion the tools are added to the
// role as it stands when the change commits, so nobody's change is lost.
func (e *Editor) AttachTools(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return e.changeRole(ctx, "attachTools", roleID, expectedVersion, func(d *draft, in *model.RoleInput) error {
		in.ToolSlugs = union(in.ToolSlugs, slugs)
		return known("toolSlugs", "tool", slugs, func(s string) bool { return d.snap.ToolWithSlug(s) != nil })
	})
}

// DetachTools removes tools, by slug, from a role.
func (e *Editor) DetachTools(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return e.changeRole(ctx, "detachTools", roleID, expectedVersion, func(_ *draft, in *model.RoleInput) error {
		in.ToolSlugs = without(in.ToolSlugs, slugs)
		return nil
	})
}

// AttachResources adds learning resources, by slug, to a role.
func (e *Editor) AttachResources(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return e.changeRole(ctx, "attachLearningResources", roleID, expectedVersion, func(d *draft, in *model.RoleInput) error {
		in.LearningResourceSlugs = union(in.LearningResourceSlugs, slugs)
		return known("learningResourceSlugs", "learning resource", slugs, func(s string) bool { return d.snap.ResourceWithSlug(s) != nil })
	})
}

// DetachResources removes learning resources, by slug, from a role.
func (e *Editor) DetachResources(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*model.Role, error) {
	return e.changeRole(ctx, "detachLearningResources", roleID, expectedVersion, func(_ *draft, in *model.RoleInput) error {
		in.LearningResourceSlugs = without(in.LearningResourceSlugs, slugs)
		return nil
	})
}

// known checks that every slug an attach names exists, and names a missing
// one by its place in the mutation's argument, not in the merged list.
func known(field, what string, slugs []string, exists func(string) bool) error {
	var errs model.Errors
	for i, s := range slugs {
		if !exists(s) {
			errs = append(errs, model.FieldErrorf(fieldAt(field, i), "no %s has %s", what, model.SlugPhrase(s)))
		}
	}
	if errs != nil {
		return errs
	}
	return nil
}

// changeRole reads a role as an input, lets change edit it (or refuse),
// and writes the result as the role's next version. A change that changes nothing writes
// nothing and returns the role as it is.
func (e *Editor) changeRole(ctx context.Context, op, id string, expected *int, change func(*draft, *model.RoleInput) error) (*model.Role, error) {
	var result model.Role
	_, err := e.commit(ctx, op, func(d *draft) error {
		cur := d.snap.Role(id)
		if cur == nil {
			return model.NotFoundError(model.TypeRole, id)
		}
		if expected != nil && cur.Version != *expected {
			return stale(model.TypeRole, cur.Slug, cur.Version, *expected)
		}
		result = *cur
		old := inputOf(d, cur)
		in := inputOf(d, cur)
		if err := change(d, &in); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return model.Prefix("input", err)
		}
		if in.Slug != cur.Slug && d.snap.RoleWithSlug(in.Slug) != nil {
			return slugTaken(model.TypeRole, in.Slug)
		}
		toolIDs, resIDs, err := roleLinks(d, in)
		if err != nil {
			return err
		}
		next := roleFromInput(in, toolIDs, resIDs, d)
		next.ID, next.Version, next.CreatedAt, next.UpdatedAt = cur.ID, cur.Version+1, cur.CreatedAt, d.at
		// An input without a review day is reviewed on the day of the
		// edit, but that alone is no change.
		reviewed := next.ReviewedOn
		if in.ReviewedOn == nil {
			next.ReviewedOn = cur.ReviewedOn
		}
		if len(model.Diff(model.RoleFields, fieldsOf(cur, old, nil), fieldsOf(&next, in, nil))) == 0 {
			return nil // nothing changes
		}
		next.ReviewedOn = reviewed
		fields := model.Diff(model.RoleFields, fieldsOf(cur, old, nil), fieldsOf(&next, in, nil))
		result = next
		d.write(model.Write{Type: model.TypeRole, ID: id, Role: &next},
			&model.ChangeEntry{Type: model.TypeRole, ID: id, Slug: next.Slug, Action: model.ActionUpdated, Version: next.Version, Fields: fields})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &result, nil
}

// DeleteRole deletes a role and every link to it; the roles it linked to
// change too, so each of them gets a new version.
func (e *Editor) DeleteRole(ctx context.Context, id string) error {
	_, err := e.commit(ctx, "deleteRole", func(d *draft) error {
		cur := d.snap.Role(id)
		if cur == nil {
			return model.NotFoundError(model.TypeRole, id)
		}
		links := d.snap.Links(id)
		var others []*model.Role
		for _, l := range links {
			rr, _ := model.RelationFrom(l, id)
			if o := d.snap.Role(rr.RoleID); o != nil {
				others = append(others, o)
			}
		}
		ids := []string{id}
		for _, o := range others {
			ids = append(ids, o.ID)
		}
		before := relatedLists(d, ids, nil)
		after := relatedLists(d, ids, func(r model.Relation) bool { return r.FromID != id && r.ToID != id })
		d.write(model.Write{Type: model.TypeRole, ID: id},
			entryFor(model.TypeRole, id, cur.Slug, model.ActionDeleted, 0, model.RoleFields, fieldsOf(cur, inputOf(d, cur), before[id]), nil))
		for _, l := range links {
			d.write(model.Write{Type: model.TypeRelation, ID: l.ID}, nil)
		}
		for _, o := range others {
			bump(d, o, before[o.ID], after[o.ID])
		}
		return nil
	})
	return err
}

// bump writes a role's next version after a change to its links alone,
// with its links before and after for history.
func bump(d *draft, r *model.Role, before, after []string) *model.Role {
	next := *r
	next.Version++
	next.UpdatedAt = d.at
	d.write(model.Write{Type: model.TypeRole, ID: r.ID, Role: &next},
		entryFor(model.TypeRole, r.ID, r.Slug, model.ActionUpdated, next.Version, []string{"relatedRoles"},
			map[string]any{"relatedRoles": before}, map[string]any{"relatedRoles": after}))
	return &next
}

// roleLinks resolves a role input's tool and resource slugs to ids.
func roleLinks(d *draft, in model.RoleInput) (toolIDs, resIDs []string, err error) {
	var errs model.Errors
	toolIDs = make([]string, len(in.ToolSlugs))
	for i, s := range in.ToolSlugs {
		if t := d.snap.ToolWithSlug(s); t != nil {
			toolIDs[i] = t.ID
		} else {
			errs = append(errs, model.FieldErrorf(fieldAt("input.toolSlugs", i), "no tool has %s", model.SlugPhrase(s)))
		}
	}
	resIDs = make([]string, len(in.LearningResourceSlugs))
	for i, s := range in.LearningResourceSlugs {
		if r := d.snap.ResourceWithSlug(s); r != nil {
			resIDs[i] = r.ID
		} else {
			errs = append(errs, model.FieldErrorf(fieldAt("input.learningResourceSlugs", i), "no learning resource has %s", model.SlugPhrase(s)))
		}
	}
	if errs != nil {
		return nil, nil, errs
	}
	return toolIDs, resIDs, nil
}

// roleFromInput is the role an input describes, reviewed on the day of the
// change unless the input says otherwise.
func roleFromInput(in model.RoleInput, toolIDs, resIDs []string, d *draft) model.Role {
	r := model.Role{Slug: in.Slug, Title: in.Title, Family: in.Family, Tagline: in.Tagline,
		Description: in.Description, Skills: in.Skills, Responsibilities: in.Responsibilities,
		ToolIDs: toolIDs, Advantages: in.Advantages, Disadvantages: in.Disadvantages,
		GoodFit: in.GoodFit, Conclusion: in.Conclusion, Salary: in.Salary, ResourceIDs: resIDs,
		Occupations: in.Occupations, Sources: in.Sources, ReviewedOn: model.DateOf(d.at)}
	if in.ReviewedOn != nil {
		r.ReviewedOn = *in.ReviewedOn
	}
	return r
}

// inputOf writes a role back as the input that would make it.
func inputOf(d *draft, r *model.Role) model.RoleInput {
	var reviewed *model.Date
	if r.ReviewedOn != "" { // a role written before review days were kept has none
		reviewed = &r.ReviewedOn
	}
	return model.RoleInput{Slug: r.Slug, Title: r.Title, Family: r.Family, Tagline: r.Tagline,
		Description: r.Description, Skills: r.Skills, Responsibilities: r.Responsibilities,
		ToolSlugs: toolSlugs(d, r.ToolIDs), Advantages: r.Advantages, Disadvantages: r.Disadvantages,
		GoodFit: r.GoodFit, Conclusion: r.Conclusion, Salary: r.Salary,
		LearningResourceSlugs: resourceSlugs(d, r.ResourceIDs), Occupations: r.Occupations, Sources: r.Sources,
		ReviewedOn: reviewed}
}

// fieldsOf is a role as history shows it: its input, with the day it was
// reviewed on and its links by slug.
func fieldsOf(r *model.Role, in model.RoleInput, related []string) map[string]any {
	in.ReviewedOn = nil
	if r.ReviewedOn != "" {
		reviewed := r.ReviewedOn
		in.ReviewedOn = &reviewed
	}
	return in.Fields(related)
}

func toolSlugs(d *draft, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if t := d.snap.Tool(id); t != nil {
			out = append(out, t.Slug)
		}
	}
	return out
}

func resourceSlugs(d *draft, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if r := d.snap.Resource(id); r != nil {
			out = append(out, r.Slug)
		}
	}
	return out
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
