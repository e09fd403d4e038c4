package editor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
)

// Tools and learning resources are edited alike: created, updated and
// deleted on their own, and removed from the roles that use them when they
// are deleted with detach. entryKind describes one of them to the generic
// edits below; In is its input type and M its model type.
type entryKind[In, M any] struct {
	typ      string // model.TypeTool or model.TypeResource
	name     string // in operation names: "Tool", "LearningResource"
	fields   []string
	roleHist string // the roles' history field of slugs: "toolSlugs"
	slug     func(In) string
	fieldsOf func(In) map[string]any
	validate func(In) error
	// build makes the entry from an input, its identity and its times.
	build    func(in In, id string, version int, created, updated time.Time) M
	inputOf  func(*M) In
	meta     func(*M) (slug string, version int, created time.Time)
	get      func(s *replica.Snapshot, id string) *M
	withSlug func(s *replica.Snapshot, slug string) *M
	users    func(s *replica.Snapshot, id string) []*model.Role
	links    func(r *model.Role) *[]string // the role's ids of this kind
	write    func(id string, created bool, v *M) model.Write
}

var toolKind = entryKind[model.ToolInput, model.Tool]{
	typ: model.TypeTool, name: "Tool", fields: model.ToolFields, roleHist: "toolSlugs",
	slug: func(in model.ToolInput) string { return in.Slug }, fieldsOf: model.ToolInput.Fields,
	validate: model.ToolInput.Validate,
	build: func(in model.ToolInput, id string, v int, created, updated time.Time) model.Tool {
		return model.Tool{ID: id, Slug: in.Slug, Name: in.Name, Category: in.Category, Description: in.Description,
			URL: in.URL, Version: v, CreatedAt: created, UpdatedAt: updated}
	},
	inputOf: func(t *model.Tool) model.ToolInput {
		return model.ToolInput{Slug: t.Slug, Name: t.Name, Category: t.Category, Description: t.Description, URL: t.URL}
	},
	meta:     func(t *model.Tool) (string, int, time.Time) { return t.Slug, t.Version, t.CreatedAt },
	get:      (*replica.Snapshot).Tool,
	withSlug: (*replica.Snapshot).ToolWithSlug,
	users:    (*replica.Snapshot).UsersOfTool,
	links:    func(r *model.Role) *[]string { return &r.ToolIDs },
	write: func(id string, created bool, t *model.Tool) model.Write {
		return model.Write{Type: model.TypeTool, ID: id, Created: created, Tool: t}
	},
}

var resourceKind = entryKind[model.LearningResourceInput, model.LearningResource]{
	typ: model.TypeResource, name: "LearningResource", fields: model.ResourceFields, roleHist: "learningResourceSlugs",
	slug: func(in model.LearningResourceInput) string { return in.Slug }, fieldsOf: model.LearningResourceInput.Fields,
	validate: model.LearningResourceInput.Validate,
	build: func(in model.LearningResourceInput, id string, v int, created, updated time.Time) model.LearningResource {
		return model.LearningResource{ID: id, Slug: in.Slug, Title: in.Title, Provider: in.Provider, URL: in.URL,
			Kind: in.Kind, Free: in.Free, Description: in.Description, Version: v, CreatedAt: created, UpdatedAt: updated}
	},
	inputOf: func(r *model.LearningResource) model.LearningResourceInput {
		return model.LearningResourceInput{Slug: r.Slug, Title: r.Title, Provider: r.Provider, URL: r.URL,
			Kind: r.Kind, Free: r.Free, Description: r.Description}
	},
	meta:     func(r *model.LearningResource) (string, int, time.Time) { return r.Slug, r.Version, r.CreatedAt },
	get:      (*replica.Snapshot).Resource,
	withSlug: (*replica.Snapshot).ResourceWithSlug,
	users:    (*replica.Snapshot).UsersOfResource,
	links:    func(r *model.Role) *[]string { return &r.ResourceIDs },
	write: func(id string, created bool, r *model.LearningResource) model.Write {
		return model.Write{Type: model.TypeResource, ID: id, Created: created, Resource: r}
	},
}

// CreateTool adds a tool; a taken slug is CONFLICT.
func (e *Editor) CreateTool(ctx context.Context, in model.ToolInput) (*model.Tool, error) {
	return createEntry(ctx, e, toolKind, in)
}

// UpdateTool replaces a tool's fields if it is still at expectedVersion.
func (e *Editor) UpdateTool(ctx context.Context, id string, in model.ToolInput, expectedVersion int) (*model.Tool, error) {
	return updateEntry(ctx, e, toolKind, id, in, expectedVersion)
}

// DeleteTool deletes a tool. If roles use it, it is CONFLICT naming them,
// unless detach is set: then it is removed from those roles too.
func (e *Editor) DeleteTool(ctx context.Context, id string, detach bool) error {
	return deleteEntry(ctx, e, toolKind, id, detach)
}

// CreateResource adds a learning resource; a taken slug is CONFLICT.
func (e *Editor) CreateResource(ctx context.Context, in model.LearningResourceInput) (*model.LearningResource, error) {
	return createEntry(ctx, e, resourceKind, in)
}

// UpdateResource replaces a learning resource's fields if it is still at
// expectedVersion.
func (e *Editor) UpdateResource(ctx context.Context, id string, in model.LearningResourceInput, expectedVersion int) (*model.LearningResource, error) {
	return updateEntry(ctx, e, resourceKind, id, in, expectedVersion)
}

// DeleteResource deletes a learning resource; as DeleteTool.
func (e *Editor) DeleteResource(ctx context.Context, id string, detach bool) error {
	return deleteEntry(ctx, e, resourceKind, id, detach)
}

func createEntry[In, M any](ctx context.Context, e *Editor, k entryKind[In, M], in In) (*M, error) {
	if err := k.validate(in); err != nil {
		return nil, model.Prefix("input", err)
	}
	var made M
	_, err := e.commit(ctx, "create"+k.name, func(d *draft) error {
		if k.withSlug(d.snap, k.slug(in)) != nil {
			return slugTaken(k.typ, k.slug(in))
		}
		id := uuid.Must(uuid.NewV7()).String()
		made = k.build(in, id, 1, d.at, d.at)
		d.write(k.write(id, true, &made), entryFor(k.typ, id, k.slug(in), model.ActionCreated, 1, k.fields, nil, k.fieldsOf(in)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &made, nil
}

func updateEntry[In, M any](ctx context.Context, e *Editor, k entryKind[In, M], id string, in In, expected int) (*M, error) {
	if err := k.validate(in); err != nil {
		return nil, model.Prefix("input", err)
	}
	var result M
	_, err := e.commit(ctx, "update"+k.name, func(d *draft) error {
		cur := k.get(d.snap, id)
		if cur == nil {
			return model.NotFoundError(k.typ, id)
		}
		result = *cur
		slug, version, created := k.meta(cur)
		if version != expected {
			return stale(k.typ, slug, version, expected)
		}
		fields := model.Diff(k.fields, k.fieldsOf(k.inputOf(cur)), k.fieldsOf(in))
		if len(fields) == 0 {
			return nil
		}
		if k.slug(in) != slug && k.withSlug(d.snap, k.slug(in)) != nil {
			return slugTaken(k.typ, k.slug(in))
		}
		result = k.build(in, id, version+1, created, d.at)
		d.write(k.write(id, false, &result),
			&model.ChangeEntry{Type: k.typ, ID: id, Slug: k.slug(in), Action: model.ActionUpdated, Version: version + 1, Fields: fields})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &result, nil
}

func deleteEntry[In, M any](ctx context.Context, e *Editor, k entryKind[In, M], id string, detach bool) error {
	_, err := e.commit(ctx, "delete"+k.name, func(d *draft) error {
		cur := k.get(d.snap, id)
		if cur == nil {
			return model.NotFoundError(k.typ, id)
		}
		slug, _, _ := k.meta(cur)
		users := k.users(d.snap, id)
		if len(users) > 0 && !detach {
			slugs := make([]string, len(users))
			for i, u := range users {
				slugs[i] = u.Slug
			}
			slices.Sort(slugs)
			roles := "1 role"
			if len(users) > 1 {
				roles = fmt.Sprintf("%d roles", len(users))
			}
			return model.Errorf(model.CodeConflict, "The %s %q is still used by %s: %s. Remove it from them first, or delete it with detach: true to remove it everywhere.",
				model.TypeName(k.typ), slug, roles, describe(slugs))
		}
		for _, u := range users {
			next := *u
			next.Version++
			next.UpdatedAt = d.at
			*k.links(&next) = slices.DeleteFunc(slices.Clone(*k.links(u)), func(x string) bool { return x == id })
			d.write(model.Write{Type: model.TypeRole, ID: u.ID, Role: &next},
				entryFor(model.TypeRole, u.ID, u.Slug, model.ActionUpdated, next.Version, []string{k.roleHist},
					map[string]any{k.roleHist: slugsOf(d, k, *k.links(u))}, map[string]any{k.roleHist: slugsOf(d, k, *k.links(&next))}))
		}
		d.write(k.write(id, false, nil),
			entryFor(k.typ, id, slug, model.ActionDeleted, 0, k.fields, k.fieldsOf(k.inputOf(cur)), nil))
		return nil
	})
	return err
}

// slugsOf names a role's links of the kind by slug, for history.
func slugsOf[In, M any](d *draft, k entryKind[In, M], ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if v := k.get(d.snap, id); v != nil {
			slug, _, _ := k.meta(v)
			out = append(out, slug)
		}
	}
	return out
}
