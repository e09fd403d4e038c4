package editor

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// RelateRoles links two roles, named by slug, with a kind and a note, and
// returns the link as the first role sees it. Two roles have at most one
// link: relating them again changes its kind and note. Both roles get a new
// version.
func (e *Editor) RelateRoles(ctx context.Context, in model.RelationInput) (*model.RoleRelation, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var view model.RoleRelation
	_, err := e.commit(ctx, "relateRoles", func(d *draft) error {
		from, to, existing, err := planLink(d, in.From, in.To)
		if err != nil {
			return err
		}
		rel := model.CanonicalRelation(model.Relation{FromID: from.ID, ToID: to.ID, Kind: in.Kind, Note: in.Note})
		view, _ = model.RelationFrom(rel, from.ID)
		if existing != nil && existing.Kind == rel.Kind && existing.FromID == rel.FromID && existing.Note == rel.Note {
			return nil // already so: nothing changes
		}
		rel.ID, rel.CreatedAt = uuid.Must(uuid.NewV7()).String(), d.at
		if existing != nil {
			rel.ID, rel.CreatedAt = existing.ID, existing.CreatedAt
		}
		d.write(model.Write{Type: model.TypeRelation, ID: rel.ID, Created: existing == nil, Relation: &rel}, nil)
		bumpBoth(d, from, to, func(links []model.Relation) []model.Relation {
			return append(slices.DeleteFunc(links, func(r model.Relation) bool { return r.ID == rel.ID }), rel)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &view, nil
}

// UnrelateRoles removes the link between two roles, named by slug, and
// returns the first role as it now stands.
func (e *Editor) UnrelateRoles(ctx context.Context, fromSlug, toSlug string) (*model.Role, error) {
	var role *model.Role
	_, err := e.commit(ctx, "unrelateRoles", func(d *draft) error {
		from, to, existing, err := planLink(d, fromSlug, toSlug)
		if err != nil {
			return err
		}
		if existing == nil {
			return model.Errorf(model.CodeNotFound, "The roles %q and %q are not related.", fromSlug, toSlug)
		}
		d.write(model.Write{Type: model.TypeRelation, ID: existing.ID}, nil)
		role = bumpBoth(d, from, to, func(links []model.Relation) []model.Relation {
			return slices.DeleteFunc(links, func(r model.Relation) bool { return r.ID == existing.ID })
		})
		return nil
	})
	return role, err
}

// planLink finds the two roles of a link edit, by slug, and the link
// between them, if any.
func planLink(d *draft, fromSlug, toSlug string) (from, to *model.Role, existing *model.Relation, err error) {
	var errs model.Errors
	if from = d.snap.RoleWithSlug(fromSlug); from == nil {
		errs = append(errs, model.FieldErrorf("from", "no role has %s", model.SlugPhrase(fromSlug)))
	}
	if to = d.snap.RoleWithSlug(toSlug); to == nil {
		errs = append(errs, model.FieldErrorf("to", "no role has %s", model.SlugPhrase(toSlug)))
	}
	if errs != nil {
		return nil, nil, nil, errs
	}
	if from.ID == to.ID {
		return nil, nil, nil, model.FieldErrorf("to", "must name a role other than %q: a role cannot be related to itself", fromSlug)
	}
	pair := model.PairKey(from.ID, to.ID)
	for _, l := range d.snap.Links(from.ID) {
		if model.PairKey(l.FromID, l.ToID) == pair {
			existing = &l
		}
	}
	return from, to, existing, nil
}

// bumpBoth writes the new versions of both roles of a link edit, with
// their links before and after, and returns the first.
func bumpBoth(d *draft, from, to *model.Role, edit func([]model.Relation) []model.Relation) *model.Role {
	ids := []string{from.ID, to.ID}
	before := relatedLists(d, ids, nil)
	var links []model.Relation
	for _, id := range ids {
		for _, l := range d.snap.Links(id) {
			if !slices.ContainsFunc(links, func(r model.Relation) bool { return r.ID == l.ID }) {
				links = append(links, l)
			}
		}
	}
	after := listsOf(d, ids, edit(links))
	first := bump(d, from, before[from.ID], after[from.ID])
	bump(d, to, before[to.ID], after[to.ID])
	return first
}

// relatedLists returns, for each role, its links as history shows them
// ("KIND other-slug", sorted), keeping only those keep accepts (all, when
// keep is nil).
func relatedLists(d *draft, roleIDs []string, keep func(model.Relation) bool) map[string][]string {
	var links []model.Relation
	for _, id := range roleIDs {
		for _, l := range d.snap.Links(id) {
			if keep == nil || keep(l) {
				links = append(links, l)
			}
		}
	}
	return listsOf(d, roleIDs, links)
}

// listsOf writes each role's links among links as history shows them.
func listsOf(d *draft, roleIDs []string, links []model.Relation) map[string][]string {
	out := map[string][]string{}
	for _, id := range roleIDs {
		list := []string{}
		seen := map[string]bool{}
		for _, l := range links {
			rr, ok := model.RelationFrom(l, id)
			if !ok || seen[l.ID] {
				continue
			}
			seen[l.ID] = true
			if other := d.snap.Role(rr.RoleID); other != nil {
				list = append(list, string(rr.Kind)+" "+other.Slug)
			}
		}
		slices.Sort(list)
		out[id] = list
	}
	return out
}
