package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/finder-platform/finder/model"
)

// The commits collection is the catalog's change feed: every committed
// edit, every undone write and every seeding gets the next number and the
// list of entries it touched. Other instances follow it to keep their
// in-memory copies current (see the replica package).
//
// Numbers are taken by inserting max+1 against the unique _id: a number is
// only tried once the one before it exists, so the feed has no gaps while
// edits are in flight, and its order is commit order. An entry is never
// deleted while it may be read, so numbers are never reused; a commit that
// an undo takes back is marked withdrawn, and the undo gets an entry of its
// own.

// The kinds of feed entry.
const (
	feedCommit = "commit" // an edit committed
	feedUndo   = "undo"   // writes of an edit that failed were undone
	feedSeed   = "seed"   // the catalog was seeded: read it all again
)

type feedDoc struct {
	Seq       int64       `bson:"_id"`
	Kind      string      `bson:"kind"`
	Change    string      `bson:"change,omitempty"`
	At        time.Time   `bson:"at"`
	Entities  []entityRef `bson:"entities"`
	Withdrawn bool        `bson:"withdrawn,omitempty"`
}

type entityRef struct {
	Type string `bson:"type"`
	ID   string `bson:"id"`
}

// feedVersionID is the meta document whose counter moves on every feed
// entry, so that instances can ask "anything new?" with one tiny read.
const feedVersionID = "feed"

// publish adds an entry to the feed and returns its number.
func (s *Store) publish(ctx context.Context, kind, changeID string, entities []entityRef) (int64, error) {
	for range 50 {
		last, err := s.LastSeq(ctx)
		if err != nil {
			return 0, err
		}
		_, err = s.commits.InsertOne(ctx, feedDoc{Seq: last + 1, Kind: kind, Change: changeID,
			At: time.Now().UTC(), Entities: entities})
		if mongo.IsDuplicateKeyError(err) {
			continue // another edit took that number; try the next
		}
		if err != nil {
			return 0, wrap("publish change", err)
		}
		// Only a hint: a lost increment still moves the counter, and
		// instances also read the feed now and then without it.
		_, _ = s.meta.UpdateOne(ctx, byID(feedVersionID),
			bson.D{{Key: "$inc", Value: bson.D{{Key: "value", Value: int64(1)}}}}, options.UpdateOne().SetUpsert(true))
		return last + 1, nil
	}
	return 0, model.Errorf(model.CodeServiceUnavailable, "Too many edits at once; please try again.")
}

// committedSeq returns the number of the change's commit, or 0 if it has
// none that stands.
func (s *Store) committedSeq(ctx context.Context, changeID string) (int64, error) {
	var d feedDoc
	err := s.commits.FindOne(ctx, bson.D{{Key: "change", Value: changeID}, {Key: "kind", Value: feedCommit}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) || (err == nil && d.Withdrawn) {
		return 0, nil
	}
	return d.Seq, wrap("read commit", err)
}

// LastSeq returns the number of the last feed entry, 0 if none.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var last feedDoc
	err := s.commits.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}}).
		SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&last)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return last.Seq, wrap("read last change number", err)
}

// FeedVersion returns a number that changes whenever the feed does.
func (s *Store) FeedVersion(ctx context.Context) (int64, error) {
	var v struct {
		Value int64 `bson:"value"`
	}
	err := s.meta.FindOne(ctx, byID(feedVersionID)).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return v.Value, wrap("read feed version", err)
}

// Feed returns up to limit entries numbered after seq, in order.
func (s *Store) Feed(ctx context.Context, seq int64, limit int) ([]model.FeedEntry, error) {
	cur, err := s.commits.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: seq}}}},
		findSorted(bson.D{{Key: "_id", Value: 1}}, limit))
	if err != nil {
		return nil, wrap("read feed", err)
	}
	var docs []feedDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap("read feed", err)
	}
	out := make([]model.FeedEntry, len(docs))
	for i, d := range docs {
		out[i] = model.FeedEntry{Seq: d.Seq, Full: d.Kind == feedSeed}
		for _, e := range d.Entities {
			switch e.Type {
			case model.TypeRole:
				out[i].RoleIDs = append(out[i].RoleIDs, e.ID)
			case model.TypeTool:
				out[i].ToolIDs = append(out[i].ToolIDs, e.ID)
			case model.TypeResource:
				out[i].ResourceIDs = append(out[i].ResourceIDs, e.ID)
			}
		}
	}
	return out, nil
}

// PruneFeed deletes feed entries that every instance has long read: older
// than olderThan and not among the last keep. An instance that was away
// longer finds its place gone and reads the whole catalog again.
func (s *Store) PruneFeed(ctx context.Context, keep int64, olderThan time.Duration) error {
	last, err := s.LastSeq(ctx)
	if err != nil || last <= keep {
		return err
	}
	_, err = s.commits.DeleteMany(ctx, bson.D{
		{Key: "_id", Value: bson.D{{Key: "$lte", Value: last - keep}}},
		{Key: "at", Value: bson.D{{Key: "$lt", Value: time.Now().Add(-olderThan)}}}})
	return wrap("prune feed", err)
}

// Dump is the whole catalog, or the part of it a feed entry names, as read
// at one time.
type Dump struct {
	Roles     []model.Role
	Tools     []model.Tool
	Resources []model.LearningResource
	Relations []model.Relation
}

// LoadAll reads the whole catalog and the feed number it is current at.
// The number is read first: an edit committed while loading has a larger
// one, so a reader that follows the feed from it reads that edit again.
func (s *Store) LoadAll(ctx context.Context) (Dump, int64, error) {
	seq, err := s.LastSeq(ctx)
	if err != nil {
		return Dump{}, 0, err
	}
	d, err := s.load(ctx, bson.D{}, bson.D{}, bson.D{}, bson.D{})
	return d, seq, err
}

// LoadSome reads the entries with these ids that still exist, and every
// relation of the roles.
func (s *Store) LoadSome(ctx context.Context, roleIDs, toolIDs, resourceIDs []string) (Dump, error) {
	return s.load(ctx, byIDs(roleIDs), byIDs(toolIDs), byIDs(resourceIDs), relationsFilter(roleIDs))
}

// load reads the four collections at once: on a large catalog, reading is
// the slow part of starting up.
func (s *Store) load(ctx context.Context, roles, tools, resources, relations bson.D) (Dump, error) {
	var d Dump
	var g errgroup.Group
	g.Go(func() (err error) {
		d.Roles, err = findAll(ctx, s.roles, "load roles", roles, nil, roleDoc.model)
		return err
	})
	g.Go(func() (err error) {
		d.Tools, err = findAll(ctx, s.tools, "load tools", tools, nil, toolDoc.model)
		return err
	})
	g.Go(func() (err error) {
		d.Resources, err = findAll(ctx, s.resources, "load resources", resources, nil, resourceDoc.model)
		return err
	})
	g.Go(func() (err error) {
		d.Relations, err = findAll(ctx, s.relations, "load relations", relations, nil, relationDoc.model)
		return err
	})
	return d, g.Wait()
}
