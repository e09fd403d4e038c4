package store

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/finder-platform/finder/model"
)

// linkedKind describes tools and learning resources, which roles link to:
// how roles hold the link, and how history names it.
type linkedKind struct {
	typ       string            // model.TypeTool or model.TypeResource
	coll      *mongo.Collection // where entries of the kind live
	roleField string            // the roles' field of ids: "toolIds"
	histField string            // the roles' history field of slugs: "toolSlugs"
	links     func(*roleDoc) *[]string
}

func (s *Store) toolKind() linkedKind {
	return linkedKind{model.TypeTool, s.tools, "toolIds", "toolSlugs", func(d *roleDoc) *[]string { return &d.ToolIDs }}
}

func (s *Store) resourceKind() linkedKind {
	return linkedKind{model.TypeResource, s.resources, "resourceIds", "learningResourceSlugs", func(d *roleDoc) *[]string { return &d.ResourceIDs }}
}

// planDetach adds to e, for every role that links to the entry id, a new
// version of the role without the link. Without detach, roles that still
// link to it make the deletion a CONFLICT that names them.
func (s *Store) planDetach(ctx context.Context, e *edit, k linkedKind, id, slug string, detach bool) error {
	users, err := loadAll[roleDoc](ctx, s.roles, "read roles using "+slug, bson.D{{Key: k.roleField, Value: id}})
	if err != nil || len(users) == 0 {
		return err
	}
	if !detach {
		var slugs []string
		for _, u := range users {
			slugs = append(slugs, u.doc.Slug)
		}
		slices.Sort(slugs)
		return model.Errorf(model.CodeConflict, "The %s %q is still used by %d roles: %s. Remove it from them first, or delete it with detach: true to remove it everywhere.",
			typeWords[k.typ], slug, len(users), describe(slugs))
	}
	var linked []string
	for _, u := range users {
		linked = append(linked, *k.links(&u.doc)...)
	}
	slugs, err := slugIndex(ctx, k.coll, "_id", linked)
	if err != nil {
		return err
	}
	slugOf := map[string]string{}
	for _, d := range slugs {
		slugOf[d.ID] = d.Slug
	}
	names := func(ids []string) []string {
		out := []string{}
		for _, id := range ids {
			if s := slugOf[id]; s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	for _, u := range users {
		next := bumped(u.doc, e)
		before := *k.links(&u.doc)
		*k.links(&next) = slices.DeleteFunc(slices.Clone(before), func(x string) bool { return x == id })
		e.add(write{coll: s.roles, id: u.doc.ID, replace: next, version: u.doc.Version, before: u.raw,
			conflict: "The role " + u.doc.Slug + " changed while the " + typeWords[k.typ] + " was being removed from it; try again."},
			entryDocFor(model.TypeRole, u.doc.ID, u.doc.Slug, model.ActionUpdated, next.Version, []string{k.histField},
				map[string]any{k.histField: names(before)}, map[string]any{k.histField: names(*k.links(&next))}))
	}
	return nil
}
