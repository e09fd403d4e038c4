package store

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// CreateResource adds a learning resource; a taken slug is CONFLICT.
func (s *Store) CreateResource(ctx context.Context, in model.LearningResourceInput) (*model.LearningResource, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	if _, taken, err := load[slugDoc](ctx, s.resources, "check resource slug", bySlug(in.Slug)); err != nil || taken {
		return nil, errors.Join(err, slugTaken(taken, model.TypeResource, in.Slug))
	}
	e := s.newEdit("createLearningResource")
	t := resourceFromInput(in)
	t.ID, t.Version, t.CreatedAt, t.UpdatedAt = uuid.Must(uuid.NewV7()).String(), 1, e.at, e.at
	doc := toResourceDoc(&t)
	doc.LastChange = e.id
	e.add(write{coll: s.resources, id: t.ID, insert: doc, conflict: slugTakenMessage(model.TypeResource, in.Slug)},
		entry(model.TypeResource, t.ID, t.Slug, model.ActionCreated, 1, model.ResourceFields, nil, in.Fields()))
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateResource replaces a learning resource's fields if it is still at expectedVersion.
func (s *Store) UpdateResource(ctx context.Context, id string, in model.LearningResourceInput, expectedVersion int) (*model.LearningResource, error) {
	if err := in.Validate(); err != nil {
		return nil, model.Prefix("input", err)
	}
	cur, ok, err := load[resourceDoc](ctx, s.resources, "read resource", byID(id))
	if err != nil || !ok {
		return nil, errors.Join(err, notFoundIf(!ok, model.TypeResource, id))
	}
	old := cur.doc.model()
	if old.Version != expectedVersion {
		return nil, stale(model.TypeResource, old.Slug, old.Version, expectedVersion)
	}
	fields := model.Diff(model.ResourceFields, resourceInputOf(&old).Fields(), in.Fields())
	if len(fields) == 0 {
		return &old, nil
	}
	if in.Slug != old.Slug {
		if _, taken, err := load[slugDoc](ctx, s.resources, "check resource slug", bySlug(in.Slug)); err != nil || taken {
			return nil, errors.Join(err, slugTaken(taken, model.TypeResource, in.Slug))
		}
	}
	e := s.newEdit("updateLearningResource")
	t := resourceFromInput(in)
	t.ID, t.Version, t.CreatedAt, t.UpdatedAt = id, old.Version+1, old.CreatedAt, e.at
	doc := toResourceDoc(&t)
	doc.LastChange = e.id
	e.add(write{coll: s.resources, id: id, replace: doc, version: old.Version, before: cur.raw,
		conflict: "The learning resource was changed or deleted by someone else while this edit ran; reload it and try again."},
		&entryDoc{Type: model.TypeResource, ID: id, Slug: t.Slug, Action: string(model.ActionUpdated), Version: t.Version, Fields: fieldDocs(fields)})
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &t, nil
}

// DeleteResource deletes a learning resource. If roles list it, it is CONFLICT naming them,
// unless detach is set: then it is removed from those roles too.
func (s *Store) DeleteResource(ctx context.Context, id string, detach bool) error {
	cur, ok, err := load[resourceDoc](ctx, s.resources, "read resource", byID(id))
	if err != nil || !ok {
		return errors.Join(err, notFoundIf(!ok, model.TypeResource, id))
	}
	e := s.newEdit("deleteLearningResource")
	if err := s.planDetach(ctx, e, s.resourceKind(), id, cur.doc.Slug, detach); err != nil {
		return err
	}
	old := cur.doc.model()
	e.add(write{coll: s.resources, id: id, remove: true, version: old.Version, before: cur.raw,
		conflict: "The learning resource was changed by someone else while it was being deleted; reload it and try again."},
		entry(model.TypeResource, id, old.Slug, model.ActionDeleted, 0, model.ResourceFields, resourceInputOf(&old).Fields(), nil))
	_, err = s.apply(ctx, e)
	return err
}

func resourceFromInput(in model.LearningResourceInput) model.LearningResource {
	return model.LearningResource{Slug: in.Slug, Title: in.Title, Provider: in.Provider, URL: in.URL,
		Kind: in.Kind, Free: in.Free, Description: in.Description}
}

func resourceInputOf(r *model.LearningResource) model.LearningResourceInput {
	return model.LearningResourceInput{Slug: r.Slug, Title: r.Title, Provider: r.Provider, URL: r.URL,
		Kind: r.Kind, Free: r.Free, Description: r.Description}
}
