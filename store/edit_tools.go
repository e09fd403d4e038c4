package store

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// CreateTool adds a tool; a taken slug is CONFLICT.
func (s *Store) CreateTool(ctx context.Context, in model.ToolInput) (*model.Tool, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	if _, taken, err := load[slugDoc](ctx, s.tools, "check tool slug", bySlug(in.Slug)); err != nil || taken {
		return nil, errors.Join(err, slugTaken(taken, model.TypeTool, in.Slug))
	}
	e := s.newEdit("createTool")
	t := toolFromInput(in)
	t.ID, t.Version, t.CreatedAt, t.UpdatedAt = uuid.Must(uuid.NewV7()).String(), 1, e.at, e.at
	doc := toToolDoc(&t)
	doc.LastChange = e.id
	e.add(write{coll: s.tools, id: t.ID, insert: doc, conflict: slugTakenMessage(model.TypeTool, in.Slug)},
		entry(model.TypeTool, t.ID, t.Slug, model.ActionCreated, 1, model.ToolFields, nil, in.Fields()))
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateTool replaces a tool's fields if it is still at expectedVersion.
func (s *Store) UpdateTool(ctx context.Context, id string, in model.ToolInput, expectedVersion int) (*model.Tool, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	cur, ok, err := load[toolDoc](ctx, s.tools, "read tool", byID(id))
	if err != nil || !ok {
		return nil, errors.Join(err, notFoundIf(!ok, model.TypeTool, id))
	}
	old := cur.doc.model()
	if old.Version != expectedVersion {
		return nil, stale(model.TypeTool, old.Slug, old.Version, expectedVersion)
	}
	fields := model.Diff(model.ToolFields, toolInputOf(&old).Fields(), in.Fields())
	if len(fields) == 0 {
		return &old, nil
	}
	if in.Slug != old.Slug {
		if _, taken, err := load[slugDoc](ctx, s.tools, "check tool slug", bySlug(in.Slug)); err != nil || taken {
			return nil, errors.Join(err, slugTaken(taken, model.TypeTool, in.Slug))
		}
	}
	e := s.newEdit("updateTool")
	t := toolFromInput(in)
	t.ID, t.Version, t.CreatedAt, t.UpdatedAt = id, old.Version+1, old.CreatedAt, e.at
	doc := toToolDoc(&t)
	doc.LastChange = e.id
	e.add(write{coll: s.tools, id: id, replace: doc, version: old.Version, before: cur.raw,
		conflict: "The tool was changed or deleted by someone else while this edit ran; reload it and try again."},
		&entryDoc{Type: model.TypeTool, ID: id, Slug: t.Slug, Action: string(model.ActionUpdated), Version: t.Version, Fields: fieldDocs(fields)})
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &t, nil
}

// DeleteTool deletes a tool. If roles use it, it is CONFLICT naming them,
// unless detach is set: then it is removed from those roles too.
func (s *Store) DeleteTool(ctx context.Context, id string, detach bool) error {
	cur, ok, err := load[toolDoc](ctx, s.tools, "read tool", byID(id))
	if err != nil || !ok {
		return errors.Join(err, notFoundIf(!ok, model.TypeTool, id))
	}
	e := s.newEdit("deleteTool")
	if err := s.planDetach(ctx, e, s.toolKind(), id, cur.doc.Slug, detach); err != nil {
		return err
	}
	old := cur.doc.model()
	e.add(write{coll: s.tools, id: id, remove: true, version: old.Version, before: cur.raw,
		conflict: "The tool was changed by someone else while it was being deleted; reload it and try again."},
		entry(model.TypeTool, id, old.Slug, model.ActionDeleted, 0, model.ToolFields, toolInputOf(&old).Fields(), nil))
	_, err = s.apply(ctx, e)
	return err
}

func toolFromInput(in model.ToolInput) model.Tool {
	return model.Tool{Slug: in.Slug, Name: in.Name, Category: in.Category, Description: in.Description, URL: in.URL}
}

func toolInputOf(t *model.Tool) model.ToolInput {
	return model.ToolInput{Slug: t.Slug, Name: t.Name, Category: t.Category, Description: t.Description, URL: t.URL}
}
