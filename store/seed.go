package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/finder-platform/finder/model"
)

// SeedData is what Seed writes into an empty database: a whole catalog.
type SeedData = Dump

// seedMarker records that seeding began and whether it finished, so that a
// start interrupted while seeding finishes the job at the next start, and a
// database whose editors deleted seeded entries is never seeded again.
type seedMarker struct {
	ID        string    `bson:"_id"`
	Done      bool      `bson:"done"`
	StartedAt time.Time `bson:"startedAt"`
}

const seedMarkerID = "seed"

// Seed writes data into the database if it has never been seeded and holds
// no catalog entries, and reports whether it wrote anything. The entries go
// straight into their collections (a catalog of 10,000 roles is far larger
// than one change may be), each by its stable id, keeping any already
// there, so a second run, or two instances seeding at once, change
// nothing. Then a change that says "read everything again" is appended to
// the log, so that instances already following it load the catalog.
func (s *Store) Seed(ctx context.Context, data SeedData) (bool, error) {
	var marker seedMarker
	err := s.meta.FindOne(ctx, byID(seedMarkerID)).Decode(&marker)
	switch {
	case err == nil && marker.Done:
		return false, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		empty, err := s.empty(ctx)
		if err != nil || !empty {
			return false, err
		}
		marker = seedMarker{ID: seedMarkerID, StartedAt: time.Now().UTC()}
		if _, err := s.meta.InsertOne(ctx, marker); err != nil && !mongo.IsDuplicateKeyError(err) {
			return false, wrap("mark seeding started", err)
		}
	case err != nil:
		return false, wrap("read seed marker", err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.insertSeed(ctx, data, now); err != nil {
		return false, err
	}
	if err := s.appendSeed(ctx, now); err != nil {
		return false, err
	}
	_, err = s.meta.UpdateOne(ctx, byID(seedMarkerID), bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: true}}}})
	return true, wrap("mark seeding done", err)
}

// appendSeed appends the seeding's change at the end of the log, unless a
// seeding interrupted after its change finishes now.
func (s *Store) appendSeed(ctx context.Context, at time.Time) error {
	for seq := int64(1); ; seq++ {
		c, err := s.ChangeAt(ctx, seq)
		if err != nil {
			return err
		}
		if c != nil && c.Operation == model.OperationSeed {
			return nil
		}
		if c != nil {
			continue
		}
		err = s.Append(ctx, &model.Change{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, At: at,
			Actor: "Finder", Operation: model.OperationSeed, Reload: true})
		if !errors.Is(err, ErrSeqTaken) {
			return err
		}
	}
}

// empty reports whether no role, tool or learning resource exists.
func (s *Store) empty(ctx context.Context) (bool, error) {
	for _, c := range []*mongo.Collection{s.roles, s.tools, s.resources} {
		n, err := c.CountDocuments(ctx, bson.D{}, options.Count().SetLimit(1))
		if err != nil || n > 0 {
			return false, wrap("count "+c.Name(), err)
		}
	}
	return true, nil
}

// insertSeed writes tools and resources before the roles that point at
// them, and roles before their relations, so that an interrupted seed never
// leaves a link to something missing.
func (s *Store) insertSeed(ctx context.Context, data SeedData, now time.Time) error {
	var tools, resources, roles, relations []any
	for _, t := range data.Tools {
		t.CreatedAt, t.UpdatedAt = now, now
		tools = append(tools, toToolDoc(&t))
	}
	for _, r := range data.Resources {
		r.CreatedAt, r.UpdatedAt = now, now
		resources = append(resources, toResourceDoc(&r))
	}
	for _, r := range data.Roles {
		r.CreatedAt, r.UpdatedAt = now, now
		roles = append(roles, toRoleDoc(&r))
	}
	for i, r := range data.Relations {
		// Keep the catalog's order of relations: it is the order they are read in.
		r.CreatedAt = now.Add(time.Duration(i) * time.Millisecond)
		relations = append(relations, toRelationDoc(&r))
	}
	for _, batch := range []struct {
		c    *mongo.Collection
		docs []any
	}{{s.tools, tools}, {s.resources, resources}, {s.roles, roles}, {s.relations, relations}} {
		if err := insertNew(ctx, batch.c, batch.docs); err != nil {
			return err
		}
	}
	return nil
}

// insertNew inserts docs, keeping any that already exist.
func insertNew(ctx context.Context, c *mongo.Collection, docs []any) error {
	if len(docs) == 0 {
		return nil
	}
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 {
				return wrap("insert into "+c.Name(), err)
			}
		}
		return nil
	}
	return wrap("insert into "+c.Name(), err)
}
