package store

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/finder-platform/finder/model"
)

// loaded is a document as an edit's planner read it: decoded, and raw for
// the undo.
type loaded[D any] struct {
	doc D
	raw bson.Raw
}

// load reads the one document matching filter; ok is false when there is none.
func load[D any](ctx context.Context, c *mongo.Collection, op string, filter bson.D) (l loaded[D], ok bool, err error) {
	res := c.FindOne(ctx, filter)
	if l.raw, err = res.Raw(); errors.Is(err, mongo.ErrNoDocuments) {
		return l, false, nil
	}
	if err != nil {
		return l, false, wrap(op, err)
	}
	return l, true, wrap(op, bson.Unmarshal(l.raw, &l.doc))
}

// loadAll reads every document matching filter, decoded and raw.
func loadAll[D any](ctx context.Context, c *mongo.Collection, op string, filter bson.D) ([]loaded[D], error) {
	cur, err := c.Find(ctx, filter)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer cur.Close(ctx)
	var out []loaded[D]
	for cur.Next(ctx) {
		l := loaded[D]{raw: bson.Raw(append([]byte(nil), cur.Current...))}
		if err := bson.Unmarshal(l.raw, &l.doc); err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, l)
	}
	return out, wrap(op, cur.Err())
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

func bySlug(slug string) bson.D { return bson.D{{Key: "slug", Value: slug}} }

// notFound is the error for an id that names nothing of its type.
func notFound(typ, id string) error {
	return model.Errorf(model.CodeNotFound, "No %s has the id %s; it may have been deleted.", typeWords[typ], model.GlobalID(typ, id))
}

// stale is the error for an edit based on an old version.
func stale(typ, slug string, have, want int) error {
	return model.Errorf(model.CodeConflict, "The %s %q was changed by someone else: it is at version %d, not %d. Reload it and apply your change again.", typeWords[typ], slug, have, want)
}

var typeWords = map[string]string{
	model.TypeRole: "role", model.TypeTool: "tool", model.TypeResource: "learning resource", model.TypeAPIKey: "API key",
}

// fieldDocs turns a diff into what a change document keeps.
func fieldDocs(changes []model.FieldChange) []fieldDoc {
	out := make([]fieldDoc, len(changes))
	for i, c := range changes {
		out[i] = fieldDoc{Field: c.Field, Before: c.Before, After: c.After}
	}
	return out
}

// entry describes what an edit does to one document, for its history.
func entryDocFor(typ, id, slug string, action model.ChangeAction, version int, fields []string, before, after map[string]any) *entryDoc {
	return &entryDoc{Type: typ, ID: id, Slug: slug, Action: string(action), Version: version,
		Fields: fieldDocs(model.Diff(fields, before, after))}
}
