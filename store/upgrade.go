package store

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Before the change log, an edit was journaled: a change document with the
// undo of each write went into "changes", versions were claimed in
// "claims", the commit was an entry of the "commits" feed, and committed
// changes moved to "history". Upgrade turns a database of that format into
// the change log's, at start, before anything else reads it. It is the one
// upgrade step this version keeps; stop every instance of the old version
// first. Each step can run again after a crash.

// The old format's collections.
const (
	oldJournal = "changes"
	oldHistory = "history"
	oldCommits = "commits"
	oldClaims  = "claims"
)

// oldChange is a change of the old journal or history.
type oldChange struct {
	ID         string     `bson:"_id"`
	State      string     `bson:"state"`
	Seq        int64      `bson:"seq"`
	At         time.Time  `bson:"at"`
	Actor      string     `bson:"actor"`
	ActorKeyID string     `bson:"actorKeyId"`
	Operation  string     `bson:"operation"`
	Entries    []entryDoc `bson:"entries"`
	EntityIDs  []string   `bson:"entityIds"`
	Undo       []struct {
		Coll   string   `bson:"coll"`
		ID     string   `bson:"id"`
		Delete bool     `bson:"delete"`
		Before bson.Raw `bson:"before"`
	} `bson:"undo"`
}

// Upgrade converts a database of the journal's format, if it is one.
func (s *Store) Upgrade(ctx context.Context, logger *slog.Logger) error {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return wrap("list collections", err)
	}
	if !slices.ContainsFunc(names, func(n string) bool {
		return n == oldJournal || n == oldHistory || n == oldCommits || n == oldClaims
	}) {
		return nil
	}
	logger.Info("upgrading the store from the journal's format to the change log")
	committed, err := s.finishJournal(ctx)
	if err != nil {
		return err
	}
	n, err := s.moveHistory(ctx, committed)
	if err != nil {
		return err
	}
	// The collections already hold every change of the old history.
	if err := s.SetProjectedSeq(ctx, n); err != nil {
		return err
	}
	// Slugs and pairs had unique indexes; projections must not (indexes.go).
	for _, ix := range []struct {
		c    *mongo.Collection
		name string
	}{{s.roles, "slug_1"}, {s.tools, "slug_1"}, {s.resources, "slug_1"}, {s.relations, "pair_1"}} {
		if err := ix.c.Indexes().DropOne(ctx, ix.name); err != nil && !indexMissing(err) {
			return wrap("drop the unique index "+ix.name+" of "+ix.c.Name(), err)
		}
	}
	for _, name := range []string{oldJournal, oldHistory, oldCommits, oldClaims} {
		if err := s.db.Collection(name).Drop(ctx); err != nil {
			return wrap("drop "+name, err)
		}
	}
	if _, err := s.meta.DeleteOne(ctx, byID("feed")); err != nil {
		return wrap("drop the feed counter", err)
	}
	logger.Info("store upgraded", "changes", n)
	return nil
}

// indexMissing recognises dropping an index that is not there (code 27),
// which a second run of the upgrade does.
func indexMissing(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Code == 27 || ce.Name == "IndexNotFound" || ce.Code == 26)
}

// finishJournal ends the edits the old journal left in flight, as the old
// version's recovery did: one whose commit stands is returned, to go into
// history; any other is undone, each write only if the document still
// carries the change's tag.
func (s *Store) finishJournal(ctx context.Context) ([]oldChange, error) {
	pending, err := findAll(ctx, s.db.Collection(oldJournal), "read the old journal", bson.D{}, nil, func(c oldChange) oldChange { return c })
	if err != nil {
		return nil, err
	}
	var committed []oldChange
	for _, c := range pending {
		if c.State != "committed" {
			var commit struct {
				Seq       int64 `bson:"_id"`
				Withdrawn bool  `bson:"withdrawn"`
			}
			err := s.db.Collection(oldCommits).FindOne(ctx, bson.D{{Key: "change", Value: c.ID}, {Key: "kind", Value: "commit"}}).Decode(&commit)
			switch {
			case err == nil && !commit.Withdrawn:
				c.Seq = commit.Seq
			case err == nil || errors.Is(err, mongo.ErrNoDocuments):
				c.Seq = 0
			default:
				return nil, wrap("read the old commits", err)
			}
		}
		if c.Seq > 0 {
			committed = append(committed, c)
		} else if err := s.undoOld(ctx, c); err != nil {
			return nil, err
		}
	}
	return committed, nil
}

// undoOld reverses an old change's writes, last first.
func (s *Store) undoOld(ctx context.Context, c oldChange) error {
	for i := len(c.Undo) - 1; i >= 0; i-- {
		u := c.Undo[i]
		coll := s.db.Collection(u.Coll)
		tagged := bson.D{{Key: "_id", Value: u.ID}, {Key: "lastChange", Value: c.ID}}
		if u.Delete || u.Before == nil {
			if _, err := coll.DeleteOne(ctx, tagged); err != nil {
				return wrap("undo an unfinished edit", err)
			}
			continue
		}
		res, err := coll.ReplaceOne(ctx, tagged, u.Before)
		if err == nil && res.MatchedCount == 0 {
			if _, err = coll.InsertOne(ctx, u.Before); mongo.IsDuplicateKeyError(err) {
				err = nil // a later change rewrote it; leave it be
			}
		}
		if err != nil {
			return wrap("undo an unfinished edit", err)
		}
	}
	return nil
}

// moveHistory puts the old history, and the committed changes the journal
// still held, into the change log, numbered from 1 in commit order (the
// old numbers had gaps where the feed recorded seedings and undos). API
// keys' changes stay out: a key's history is now read from the key, and
// the revoker's name is kept on it. It returns the number of changes.
func (s *Store) moveHistory(ctx context.Context, committed []oldChange) (int64, error) {
	old, err := findAll(ctx, s.db.Collection(oldHistory), "read the old history", bson.D{},
		bson.D{{Key: "seq", Value: 1}}, func(c oldChange) oldChange { return c })
	if err != nil {
		return 0, err
	}
	all := append(old, committed...)
	slices.SortStableFunc(all, func(a, b oldChange) int { return int(a.Seq - b.Seq) })
	var docs []any
	for _, c := range all {
		if isKeyChange(c) {
			if c.Operation == "revokeApiKey" {
				if _, err := s.keys.UpdateOne(ctx, bson.D{{Key: "_id", Value: c.Entries[0].ID}, {Key: "revokedBy", Value: bson.D{{Key: "$exists", Value: false}}}},
					bson.D{{Key: "$set", Value: bson.D{{Key: "revokedBy", Value: c.Actor}}}}); err != nil {
					return 0, wrap("keep who revoked a key", err)
				}
			}
			continue
		}
		seq := int64(len(docs) + 1)
		docs = append(docs, changeDoc{ID: seqID(seq), Seq: seq, ChangeID: c.ID, At: c.At, Actor: c.Actor, ActorKeyID: c.ActorKeyID,
			Operation: c.Operation, Entries: nonNil(c.Entries), EntityIDs: nonNil(c.EntityIDs), Writes: []writeDoc{}})
	}
	if err := insertNew(ctx, s.changelog, docs); err != nil {
		return 0, err
	}
	return int64(len(docs)), nil
}

func isKeyChange(c oldChange) bool {
	return len(c.Entries) > 0 && !slices.ContainsFunc(c.Entries, func(e entryDoc) bool { return e.Type != "ApiKey" })
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
