package store

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
func (s *Store) RelateRoles(ctx context.Context, in model.RelationInput) (*model.RoleRelation, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := s.planLink(ctx, in.From, in.To)
	if err != nil {
		return nil, err
	}
	rel := model.CanonicalRelation(model.Relation{FromID: p.from.doc.ID, ToID: p.to.doc.ID, Kind: in.Kind, Note: in.Note})
	view, _ := model.RelationFrom(rel, p.from.doc.ID)
	if p.existing != nil {
		if old := p.existing.doc.model(); old.Kind == rel.Kind && old.FromID == rel.FromID && old.Note == rel.Note {
			return &view, nil // already so: nothing changes
		}
	}
	e := s.newEdit("relateRoles")
	createdAt := e.at
	rel.ID = uuid.Must(uuid.NewV7()).String()
	if p.existing != nil {
		rel.ID, createdAt = p.existing.doc.ID, p.existing.doc.CreatedAt
	}
	doc := toRelationDoc(&rel, createdAt)
	doc.LastChange = e.id
	w := write{coll: s.relations, id: rel.ID, conflict: "These roles were linked by another edit at the same time; try again."}
	if p.existing != nil {
		w.replace, w.before = doc, p.existing.raw
	} else {
		w.insert = doc
	}
	e.add(w, nil)
	after := slices.DeleteFunc(slices.Clone(p.all), func(r model.Relation) bool { return r.ID == rel.ID })
	if err := s.bumpBoth(ctx, e, p, append(after, rel)); err != nil {
		return nil, err
	}
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	return &view, nil
}

// UnrelateRoles removes the link between two roles, named by slug, and
// returns the first role as it now stands.
func (s *Store) UnrelateRoles(ctx context.Context, from, to string) (*model.Role, error) {
	p, err := s.planLink(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if p.existing == nil {
		return nil, model.Errorf(model.CodeNotFound, "The roles %q and %q are not related.", from, to)
	}
	e := s.newEdit("unrelateRoles")
	e.add(write{coll: s.relations, id: p.existing.doc.ID, remove: true, before: p.existing.raw,
		conflict: "The link was changed by another edit at the same time; try again."}, nil)
	after := slices.DeleteFunc(slices.Clone(p.all), func(r model.Relation) bool { return r.ID == p.existing.doc.ID })
	if err := s.bumpBoth(ctx, e, p, after); err != nil {
		return nil, err
	}
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	role := bumped(p.from.doc, e).model()
	return &role, nil
}

// linkPlan is what an edit of the link between two roles reads first.
type linkPlan struct {
	from, to loaded[roleDoc]
	existing *loaded[relationDoc] // the link between them, if any
	all      []model.Relation     // every link of either role
}

func (s *Store) planLink(ctx context.Context, fromSlug, toSlug string) (p linkPlan, err error) {
	var errs model.Errors
	for _, end := range []struct {
		field, slug string
		into        *loaded[roleDoc]
	}{{"from", fromSlug, &p.from}, {"to", toSlug, &p.to}} {
		l, ok, err := load[roleDoc](ctx, s.roles, "read role", bySlug(end.slug))
		if err != nil {
			return p, err
		}
		if !ok {
			errs = append(errs, model.FieldErrorf(end.field, "no role has %s", model.SlugPhrase(end.slug)))
		}
		*end.into = l
	}
	if errs != nil {
		return p, errs
	}
	if p.from.doc.ID == p.to.doc.ID {
		return p, model.FieldErrorf("to", "must name a role other than %q: a role cannot be related to itself", fromSlug)
	}
	links, err := s.loadRelations(ctx, []string{p.from.doc.ID, p.to.doc.ID})
	if err != nil {
		return p, err
	}
	pair := model.PairKey(p.from.doc.ID, p.to.doc.ID)
	for i, l := range links {
		p.all = append(p.all, l.doc.model())
		if l.doc.Pair == pair {
			p.existing = &links[i]
		}
	}
	return p, nil
}

// bumpBoth adds to e the new versions of both roles of a link edit, with
// their lists of links before and after.
func (s *Store) bumpBoth(ctx context.Context, e *edit, p linkPlan, after []model.Relation) error {
	ids := []string{p.from.doc.ID, p.to.doc.ID}
	before, err := s.relatedLists(ctx, ids, p.all)
	if err != nil {
		return err
	}
	now, err := s.relatedLists(ctx, ids, after)
	if err != nil {
		return err
	}
	for _, r := range []loaded[roleDoc]{p.from, p.to} {
		e.add(write{coll: s.roles, id: r.doc.ID, replace: bumped(r.doc, e), version: r.doc.Version, before: r.raw,
			conflict: "The role " + r.doc.Slug + " was changed by another edit at the same time; try again."},
			linksEntry(r.doc, before[r.doc.ID], now[r.doc.ID]))
	}
	return nil
}
