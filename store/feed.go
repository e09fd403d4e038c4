package store

import (
	"context"
	"errors"
	"sync"
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
	// RelationsListed says Entities names the relations the change wrote
	// (type relationRef); older entries did not.
	RelationsListed bool `bson:"relationsListed,omitempty"`
}

// relationRef is the entityRef type of a relation document a change wrote.
const relationRef = "relation"

type entityRef struct {
	Type string `bson:"type"`
	ID   string `bson:"id"`
}

// feedVersionID is the meta document whose counter moves on every feed
// entry, so that instances can ask "anything new?" with one tiny read.
const feedVersionID = "feed"

// feedHead remembers the feed's last number as this instance last saw it,
// so that an edit need not read the whole feed to find it: FerretDB sorts
// in Go, after reading every entry (STORE-NOTES.md).
type feedHead struct {
	mu   sync.Mutex
	seq  int64
	seen time.Time // when seq was last the feed's last number; zero: never
}

// headFresh is how long a remembered head is trusted. A number taken by
// another instance since only costs a refused insert. A free number below
// the head is one PruneFeed deleted, and must never be tried: it cannot be,
// since the number tried follows one seen at most headFresh ago, so it was
// written after that, and PruneFeed keeps entries far younger than that.
const headFresh = 10 * time.Second

// lastSeqGuess returns a number the feed has reached: the remembered head,
// or the head read from the store when the memory is stale.
func (s *Store) lastSeqGuess(ctx context.Context) (int64, error) {
	h := &s.feedHead
	h.mu.Lock()
	seq, fresh := h.seq, time.Since(h.seen) < headFresh
	h.mu.Unlock()
	if fresh {
		return seq, nil
	}
	return s.LastSeq(ctx)
}

// saw records that the feed's last number was seq just now.
func (h *feedHead) saw(seq int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if seq >= h.seq {
		h.seq, h.seen = seq, time.Now()
	}
}

// publish adds an entry to the feed and returns its number.
func (s *Store) publish(ctx context.Context, kind, changeID string, entities []entityRef) (int64, error) {
	last, err := s.lastSeqGuess(ctx)
	if err != nil {
		return 0, err
	}
	for try := range 50 {
		_, err = s.commits.InsertOne(ctx, feedDoc{Seq: last + 1, Kind: kind, Change: changeID,
			At: time.Now().UTC(), Entities: entities, RelationsListed: true})
		if mongo.IsDuplicateKeyError(err) {
			// Another edit took that number: try the next, and after a
			// few, read where the feed has got to.
			last++
			if try%8 == 7 {
				if last, err = s.LastSeq(ctx); err != nil {
					return 0, err
				}
			}
			continue
		}
		if err != nil {
			return 0, wrap("publish change", err)
		}
		s.feedHead.saw(last + 1)
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
		err = nil
	}
	if err != nil {
		return 0, wrap("read last change number", err)
	}
	s.feedHead.saw(last.Seq)
	return last.Seq, nil
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
		out[i] = model.FeedEntry{Seq: d.Seq, Full: d.Kind == feedSeed, RelationsListed: d.RelationsListed}
		for _, e := range d.Entities {
			switch e.Type {
			case model.TypeRole:
				out[i].RoleIDs = append(out[i].RoleIDs, e.ID)
			case model.TypeTool:
				out[i].ToolIDs = append(out[i].ToolIDs, e.ID)
			case model.TypeResource:
				out[i].ResourceIDs = append(out[i].ResourceIDs, e.ID)
			case relationRef:
				out[i].RelationIDs = append(out[i].RelationIDs, e.ID)
			}
		}
	}
	return out, nil
}

// PruneFeed deletes feed entries that every instance has long read: older
// than olderThan and not among the last keep. An instance that was away
// longer finds its place gone and reads the whole catalog again. olderThan
// must be much longer than headFresh.
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

// Wanted names what a replica reads again after edits: entries and
// relations by id, and every relation of RelationsOf's roles.
type Wanted struct {
	Roles, Tools, Resources, Relations []string
	RelationsOf                        []string
}

// LoadSome reads the wanted entries and relations that still exist. A kind
// with no ids is not read at all: on FerretDB, even a find that matches
// nothing reads the whole collection.
func (s *Store) LoadSome(ctx context.Context, w Wanted) (Dump, error) {
	var d Dump
	var g errgroup.Group
	read := func(ids []string, read func() error) {
		if len(ids) > 0 {
			g.Go(read)
		}
	}
	read(w.Roles, func() (err error) {
		d.Roles, err = findByIDs(ctx, s.roles, "load roles", w.Roles, roleDoc.model)
		return err
	})
	read(w.Tools, func() (err error) {
		d.Tools, err = findByIDs(ctx, s.tools, "load tools", w.Tools, toolDoc.model)
		return err
	})
	read(w.Resources, func() (err error) {
		d.Resources, err = findByIDs(ctx, s.resources, "load resources", w.Resources, resourceDoc.model)
		return err
	})
	var byID, ofRoles []model.Relation
	read(w.Relations, func() (err error) {
		byID, err = findByIDs(ctx, s.relations, "load relations", w.Relations, relationDoc.model)
		return err
	})
	read(w.RelationsOf, func() (err error) {
		ofRoles, err = findAll(ctx, s.relations, "load relations", relationsFilter(w.RelationsOf), nil, relationDoc.model)
		return err
	})
	err := g.Wait()
	d.Relations = append(byID, ofRoles...)
	return d, err
}
