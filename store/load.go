package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/sync/errgroup"

	"github.com/finder-platform/finder/model"
)

// Dump is the whole catalog as its collections hold it.
type Dump struct {
	Roles     []model.Role
	Tools     []model.Tool
	Resources []model.LearningResource
	Relations []model.Relation
}

// LoadAll reads the whole catalog from its collections, and the number up
// to which every change is projected into them. The number is read first:
// a change projected while the collections are read has a larger one, so a
// reader that then applies the log from it, in order and to its end, ends
// with every entry as the last change left it.
func (s *Store) LoadAll(ctx context.Context) (Dump, int64, error) {
	seq, err := s.ProjectedSeq(ctx)
	if err != nil {
		return Dump{}, 0, err
	}
	// The four collections are read at once: on a large catalog, reading
	// is the slow part of starting up.
	var d Dump
	var g errgroup.Group
	all := bson.D{}
	g.Go(func() (err error) {
		d.Roles, err = findAll(ctx, s.roles, "load roles", all, nil, roleDoc.model)
		return err
	})
	g.Go(func() (err error) {
		d.Tools, err = findAll(ctx, s.tools, "load tools", all, nil, toolDoc.model)
		return err
	})
	g.Go(func() (err error) {
		d.Resources, err = findAll(ctx, s.resources, "load resources", all, nil, resourceDoc.model)
		return err
	})
	g.Go(func() (err error) {
		d.Relations, err = findAll(ctx, s.relations, "load relations", all, nil, relationDoc.model)
		return err
	})
	return d, seq, g.Wait()
}
