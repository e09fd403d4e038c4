package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// Tools and learning resources are edited alike: created, updated and
// deleted on their own, with roles that use them detached on deletion.
// entryKind describes one of them to the generic edits below.
type entryKind[In any, M any, D any] struct {
	linkedKind
	name     string // in operation names: "Tool", "LearningResource"
	fields   []string
	slug     func(In) string
	fieldsOf func(In) map[string]any
	// build makes the entry from an input and its identity and times.
	build    func(in In, id string, version int, created, updated time.Time) M
	inputOf  func(*M) In
	meta     func(*M) (id, slug string, version int, created time.Time)
	toDoc    func(*M, string) D // with the editing change's id
	fromDoc  func(D) M
	validate func(In) error
}

func (s *Store) toolEntry() entryKind[model.ToolInput, model.Tool, toolDoc] {
	return entryKind[model.ToolInput, model.Tool, toolDoc]{
		linkedKind: s.toolKind(), name: "Tool", fields: model.ToolFields,
		slug:     func(in model.ToolInput) string { return in.Slug },
		fieldsOf: model.ToolInput.Fields,
		validate: model.ToolInput.Validate,
		build: func(in model.ToolInput, id string, v int, created, updated time.Time) model.Tool {
			return model.Tool{ID: id, Slug: in.Slug, Name: in.Name, Category: in.Category, Description: in.Description,
				URL: in.URL, Version: v, CreatedAt: created, UpdatedAt: updated}
		},
		inputOf: func(t *model.Tool) model.ToolInput {
			return model.ToolInput{Slug: t.Slug, Name: t.Name, Category: t.Category, Description: t.Description, URL: t.URL}
		},
		meta: func(t *model.Tool) (string, string, int, time.Time) { return t.ID, t.Slug, t.Version, t.CreatedAt },
		toDoc: func(t *model.Tool, change string) toolDoc {
			d := toToolDoc(t)
			d.LastChange = change
			return d
		},
		fromDoc: toolDoc.model,
	}
}

func (s *Store) resourceEntry() entryKind[model.LearningResourceInput, model.LearningResource, resourceDoc] {
	return entryKind[model.LearningResourceInput, model.LearningResource, resourceDoc]{
		linkedKind: s.resourceKind(), name: "LearningResource", fields: model.ResourceFields,
		slug:     func(in model.LearningResourceInput) string { return in.Slug },
		fieldsOf: model.LearningResourceInput.Fields,
		validate: model.LearningResourceInput.Validate,
		build: func(in model.LearningResourceInput, id string, v int, created, updated time.Time) model.LearningResource {
			return model.LearningResource{ID: id, Slug: in.Slug, Title: in.Title, Provider: in.Provider, URL: in.URL,
				Kind: in.Kind, Free: in.Free, Description: in.Description, Version: v, CreatedAt: created, UpdatedAt: updated}
		},
		inputOf: func(r *model.LearningResource) model.LearningResourceInput {
			return model.LearningResourceInput{Slug: r.Slug, Title: r.Title, Provider: r.Provider, URL: r.URL,
				Kind: r.Kind, Free: r.Free, Description: r.Description}
		},
		meta: func(r *model.LearningResource) (string, string, int, time.Time) {
			return r.ID, r.Slug, r.Version, r.CreatedAt
		},
		toDoc: func(r *model.LearningResource, change string) resourceDoc {
			d := toResourceDoc(r)
			d.LastChange = change
			return d
		},
		fromDoc: resourceDoc.model,
	}
}

// CreateTool adds a tool; a taken slug is CONFLICT.
func (s *Store) CreateTool(ctx context.Context, in model.ToolInput) (*model.Tool, error) {
	return createEntry(ctx, s, s.toolEntry(), in)
}

// UpdateTool replaces a tool's fields if it is still at expectedVersion.
func (s *Store) UpdateTool(ctx context.Context, id string, in model.ToolInput, expectedVersion int) (*model.Tool, error) {
	return updateEntry(ctx, s, s.toolEntry(), id, in, expectedVersion)
}

// DeleteTool deletes a tool. If roles use it, it is CONFLICT naming them,
// unless detach is set: then it is removed from those roles too.
func (s *Store) DeleteTool(ctx context.Context, id string, detach bool) error {
	return deleteEntry(ctx, s, s.toolEntry(), id, detach)
}

// CreateResource adds a learning resource; a taken slug is CONFLICT.
func (s *Store) CreateResource(ctx context.Context, in model.LearningResourceInput) (*model.LearningResource, error) {
	return createEntry(ctx, s, s.resourceEntry(), in)
}

// UpdateResource replaces a learning resource's fields if it is still at
// expectedVersion.
func (s *Store) UpdateResource(ctx context.Context, id string, in model.LearningResourceInput, expectedVersion int) (*model.LearningResource, error) {
	return updateEntry(ctx, s, s.resourceEntry(), id, in, expectedVersion)
}

// DeleteResource deletes a learning resource; as DeleteTool.
func (s *Store) DeleteResource(ctx context.Context, id string, detach bool) error {
	return deleteEntry(ctx, s, s.resourceEntry(), id, detach)
}

func createEntry[In, M, D any](ctx context.Context, s *Store, k entryKind[In, M, D], in In) (*M, error) {
	if err := k.validate(in); err != nil {
		return nil, model.Prefix("input", err)
	}
	if err := s.slugFree(ctx, k.linkedKind, k.slug(in)); err != nil {
		return nil, err
	}
	e := s.newEdit("create" + k.name)
	entry := k.build(in, uuid.Must(uuid.NewV7()).String(), 1, e.at, e.at)
	id, slug, _, _ := k.meta(&entry)
	// The unique index on slug also refuses one taken meanwhile.
	e.add(write{coll: k.coll, id: id, insert: k.toDoc(&entry, e.id), conflict: slugTakenMessage(k.typ, slug)},
		entryDocFor(k.typ, id, slug, model.ActionCreated, 1, k.fields, nil, k.fieldsOf(in)))
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &entry, nil
}

func updateEntry[In, M, D any](ctx context.Context, s *Store, k entryKind[In, M, D], id string, in In, expected int) (*M, error) {
	if err := k.validate(in); err != nil {
		return nil, model.Prefix("input", err)
	}
	cur, ok, err := load[D](ctx, k.coll, "read "+typeWords[k.typ], byID(id))
	if err != nil || !ok {
		return nil, errors.Join(err, notFoundIf(!ok, k.typ, id))
	}
	old := k.fromDoc(cur.doc)
	_, oldSlug, version, created := k.meta(&old)
	if version != expected {
		return nil, stale(k.typ, oldSlug, version, expected)
	}
	fields := model.Diff(k.fields, k.fieldsOf(k.inputOf(&old)), k.fieldsOf(in))
	if len(fields) == 0 {
		return &old, nil
	}
	// FerretDB answers a rename onto a taken slug with an internal error,
	// not a duplicate key (STORE-NOTES.md): check first.
	if slug := k.slug(in); slug != oldSlug {
		if err := s.slugFree(ctx, k.linkedKind, slug); err != nil {
			return nil, err
		}
	}
	e := s.newEdit("update" + k.name)
	next := k.build(in, id, version+1, created, e.at)
	e.add(write{coll: k.coll, id: id, replace: k.toDoc(&next, e.id), version: version, before: cur.raw,
		conflict: "The " + typeWords[k.typ] + " was changed or deleted by someone else, or its new slug was taken meanwhile; reload it and try again."},
		&entryDoc{Type: k.typ, ID: id, Slug: k.slug(in), Action: string(model.ActionUpdated), Version: version + 1, Fields: fieldDocs(fields)})
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &next, nil
}

func deleteEntry[In, M, D any](ctx context.Context, s *Store, k entryKind[In, M, D], id string, detach bool) error {
	cur, ok, err := load[D](ctx, k.coll, "read "+typeWords[k.typ], byID(id))
	if err != nil || !ok {
		return errors.Join(err, notFoundIf(!ok, k.typ, id))
	}
	old := k.fromDoc(cur.doc)
	_, slug, version, _ := k.meta(&old)
	e := s.newEdit("delete" + k.name)
	if err := s.planDetach(ctx, e, k.linkedKind, id, slug, detach); err != nil {
		return err
	}
	e.add(write{coll: k.coll, id: id, remove: true, version: version, before: cur.raw,
		conflict: "The " + typeWords[k.typ] + " was changed by someone else while it was being deleted; reload it and try again."},
		entryDocFor(k.typ, id, slug, model.ActionDeleted, 0, k.fields, k.fieldsOf(k.inputOf(&old)), nil))
	_, err = s.apply(ctx, e)
	return err
}

// slugFree returns CONFLICT when an entry of the kind has the slug.
func (s *Store) slugFree(ctx context.Context, k linkedKind, slug string) error {
	_, taken, err := load[slugDoc](ctx, k.coll, "check "+typeWords[k.typ]+" slug", bySlug(slug))
	return errors.Join(err, slugTaken(taken, k.typ, slug))
}
