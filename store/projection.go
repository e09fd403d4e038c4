package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/finder-platform/finder/model"
)

// The roles, tools, resources and relations collections are projections of
// the change log: each document is as the last change that wrote it left
// it. Start-up and anyone with mongosh read them; the log stays the truth.
// One instance at a time projects (it holds the projector lease, a meta
// document), in log order, and records how far it got (another meta
// document): a start loads the collections and applies the log from there.

// The meta documents.
const (
	projectionID = "projection" // {seq}: every change up to seq is projected
	projectorID  = "projector"  // {holder, until}: who projects, until when
)

// Project writes a change's documents into their collections. Running it
// again, or running older changes again after newer ones, is harmless as
// long as the log is then replayed in order up to its end: each write puts
// a document exactly as one change left it, so the last one wins.
func (s *Store) Project(ctx context.Context, c *model.Change) error {
	d, err := toChangeDoc(c)
	if err != nil {
		return err
	}
	for i, w := range d.Writes {
		coll := s.db.Collection(w.Coll)
		if w.Doc == nil {
			if _, err := coll.DeleteOne(ctx, byID(w.ID)); err != nil {
				return wrap("project "+c.Operation, err)
			}
			continue
		}
		// A document the change made is inserted: on FerretDB an insert
		// costs the same whatever the collection's size, where a replace
		// reads the whole collection. It exists already only when the
		// change was projected before.
		if c.Writes[i].Created {
			_, err := coll.InsertOne(ctx, w.Doc)
			if err == nil {
				continue
			}
			if !mongo.IsDuplicateKeyError(err) {
				return wrap("project "+c.Operation, err)
			}
		}
		if _, err := coll.ReplaceOne(ctx, byID(w.ID), w.Doc, options.Replace().SetUpsert(true)); err != nil {
			return wrap("project "+c.Operation, err)
		}
	}
	return nil
}

// ProjectedSeq returns the number up to which every change is projected.
func (s *Store) ProjectedSeq(ctx context.Context) (int64, error) {
	var d struct {
		Seq int64 `bson:"seq"`
	}
	err := s.meta.FindOne(ctx, byID(projectionID)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return d.Seq, wrap("read the projection's place", err)
}

// SetProjectedSeq records that every change up to seq is projected. Only
// the lease holder calls it.
func (s *Store) SetProjectedSeq(ctx context.Context, seq int64) error {
	_, err := s.meta.UpdateOne(ctx, byID(projectionID), bson.D{{Key: "$set", Value: bson.D{{Key: "seq", Value: seq}}}},
		options.UpdateOne().SetUpsert(true))
	return wrap("record the projection's place", err)
}

type leaseDoc struct {
	ID     string    `bson:"_id"`
	Holder string    `bson:"holder"`
	Until  time.Time `bson:"until"`
}

// HoldProjector takes or renews the projector lease for holder until term
// from now, and reports whether holder has it. A lease another holder let
// expire is taken over; with force, a live one too (the embedded store has
// no other user, so a lease it holds was left by this process's last run).
//
// Taking is an insert against the unique _id, so of two instances taking
// an expired lease at once, one gets it.
func (s *Store) HoldProjector(ctx context.Context, holder string, term time.Duration, force bool) (bool, error) {
	now := time.Now()
	until := now.Add(term)
	res, err := s.meta.UpdateOne(ctx, bson.D{{Key: "_id", Value: projectorID}, {Key: "holder", Value: holder}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "until", Value: until}}}})
	if err != nil {
		return false, wrap("renew the projector lease", err)
	}
	if res.MatchedCount == 1 {
		return true, nil
	}
	var cur leaseDoc
	err = s.meta.FindOne(ctx, byID(projectorID)).Decode(&cur)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
	case err != nil:
		return false, wrap("read the projector lease", err)
	case cur.Until.After(now) && !force:
		return false, nil
	default:
		// Remove that very lease: if its holder renewed it meanwhile, or
		// another instance took it, nothing matches and the insert fails.
		if _, err := s.meta.DeleteOne(ctx, bson.D{{Key: "_id", Value: projectorID}, {Key: "holder", Value: cur.Holder},
			{Key: "until", Value: cur.Until}}); err != nil {
			return false, wrap("take over the projector lease", err)
		}
	}
	_, err = s.meta.InsertOne(ctx, leaseDoc{ID: projectorID, Holder: holder, Until: until})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	return err == nil, wrap("take the projector lease", err)
}

// ReleaseProjector gives up holder's lease, so that another instance takes
// over at once rather than when it expires.
func (s *Store) ReleaseProjector(ctx context.Context, holder string) error {
	_, err := s.meta.DeleteOne(ctx, bson.D{{Key: "_id", Value: projectorID}, {Key: "holder", Value: holder}})
	return wrap("release the projector lease", err)
}
