package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/finder-platform/finder/model"
)

// The store has no multi-document transactions (STORE-NOTES.md), yet one
// edit may touch several documents: deleting a role removes its relations
// and changes the roles it linked to. And FerretDB's conditional updates are
// not atomic: it reads the matching documents, filters them in Go, then
// writes, so two editors can both update "version 3" of a role. The one
// atomic check both servers share is a unique index refusing an insert, so
// every edit is journaled, and every decision is an insert:
//
//  1. A change document is written first, in state "pending", holding what
//     the edit does (its history) and how to undo each of its writes.
//  2. The edit claims each version it makes, by inserting "<id>@<version>"
//     into claims: of two editors who read the same version, one claims the
//     next and the other gets CONFLICT.
//  3. The writes follow, tagged with the change's id (lastChange).
//  4. The change is committed by inserting the next sequence number into
//     commits: that insert is the commit point, and the numbers have no gaps
//     and follow commit order, which other instances rely on to follow edits.
//  5. The change, with its number and without its undo, moves from the
//     journal (changes) to history.
//
// If a claim, a write or the commit fails, what was done is undone and the
// change document deleted: a rejected edit leaves nothing behind. If
// the undo cannot run (the store went away), the change stays pending and
// RecoverPending finishes it later: forward if its commit exists, back if not.
//
// The journal holds only edits in flight, so it stays small: FerretDB reads
// a whole collection to find one document by _id (STORE-NOTES.md), and an
// edit that had to find itself among every change ever made would slow
// down as history grew.

// The states of a change. An aborted change is deleted.
const (
	statePending   = "pending"
	stateCommitted = "committed"
)

type changeDoc struct {
	ID         string     `bson:"_id"`
	State      string     `bson:"state"`
	Seq        int64      `bson:"seq,omitempty"`
	At         time.Time  `bson:"at"`
	Actor      string     `bson:"actor"`
	ActorKeyID string     `bson:"actorKeyId"`
	Operation  string     `bson:"operation"`
	Entries    []entryDoc `bson:"entries"`
	EntityIDs  []string   `bson:"entityIds"`
	Undo       []undoDoc  `bson:"undo,omitempty"`
}

type entryDoc struct {
	Type    string     `bson:"type"`
	ID      string     `bson:"id"`
	Slug    string     `bson:"slug"`
	Action  string     `bson:"action"`
	Version int        `bson:"version"`
	Fields  []fieldDoc `bson:"fields"`
}

type fieldDoc struct {
	Field  string `bson:"field"`
	Before any    `bson:"before"`
	After  any    `bson:"after"`
}

// undoDoc reverses one write: delete what it inserted, or put back the
// document as it was before it replaced or deleted it.
type undoDoc struct {
	Coll   string   `bson:"coll"`
	ID     string   `bson:"id"`
	Delete bool     `bson:"delete,omitempty"`
	Before bson.Raw `bson:"before,omitempty"`
}

// write is one document write of an edit.
type write struct {
	coll *mongo.Collection
	id   string
	// Exactly one of insert, replace and remove is set.
	insert  any
	replace any
	remove  bool
	// version, for a replace or remove, is the version the document must
	// still have: another editor's change in between makes the write fail
	// with CONFLICT. 0 skips the check (relations have no version).
	version int
	// before is the document as the planner read it, for the undo.
	before bson.Raw
	// conflict is the message of the CONFLICT a failed condition reports.
	conflict string
}

// edit is one change being planned: its id tags every document it writes.
type edit struct {
	id      string
	op      string
	at      time.Time
	writes  []write
	entries []entryDoc
}

func (s *Store) newEdit(op string) *edit {
	return &edit{id: uuid.Must(uuid.NewV7()).String(), op: op, at: time.Now().UTC().Truncate(time.Millisecond)}
}

func (e *edit) add(w write, entry *entryDoc) {
	e.writes = append(e.writes, w)
	if entry != nil {
		e.entries = append(e.entries, *entry)
	}
}

// apply runs the journal protocol for a planned edit and returns the
// committed change's sequence number.
func (s *Store) apply(ctx context.Context, e *edit) (int64, error) {
	actor, keyID := "anonymous", ""
	if v := model.ViewerFrom(ctx); v != nil {
		actor, keyID = v.Name, v.KeyID
	}
	c := changeDoc{ID: e.id, State: statePending, At: e.at, Actor: actor, ActorKeyID: keyID, Operation: e.op, Entries: e.entries}
	seen := map[string]bool{}
	for _, en := range e.entries {
		if !seen[en.ID] {
			c.EntityIDs = append(c.EntityIDs, en.ID)
			seen[en.ID] = true
		}
	}
	for _, w := range e.writes {
		c.Undo = append(c.Undo, w.undo())
	}
	if _, err := s.changes.InsertOne(ctx, c); err != nil {
		return 0, wrap("journal "+e.op, err)
	}
	if err := s.claim(ctx, e); err != nil {
		return 0, s.abort(ctx, c, 0, err)
	}
	for i, w := range e.writes {
		if err := s.write(ctx, e.id, i, w); err != nil {
			return 0, s.abort(ctx, c, i, err)
		}
	}
	seq, err := s.commit(ctx, c, len(e.writes))
	if err != nil {
		return 0, s.abort(ctx, c, len(e.writes), err)
	}
	return seq, nil
}

func (w write) undo() undoDoc {
	u := undoDoc{Coll: w.coll.Name(), ID: w.id}
	if w.insert != nil {
		u.Delete = true
	} else {
		u.Before = w.before
	}
	return u
}

// write makes one conditional write of change changeID.
func (s *Store) write(ctx context.Context, changeID string, step int, w write) error {
	if s.fault != nil {
		if err := s.fault(step); err != nil {
			return err
		}
	}
	filter := bson.D{{Key: "_id", Value: w.id}}
	if w.version > 0 {
		filter = append(filter, bson.E{Key: "version", Value: w.version})
	}
	var done bool
	var err error
	switch {
	case w.insert != nil:
		_, err = w.coll.InsertOne(ctx, w.insert)
		done = err == nil
	case w.replace != nil:
		var res *mongo.UpdateResult
		if res, err = w.coll.ReplaceOne(ctx, filter, w.replace); err == nil {
			done = res.MatchedCount == 1
		}
	case w.remove:
		var res *mongo.DeleteResult
		if res, err = w.coll.DeleteOne(ctx, filter); err == nil {
			done = res.DeletedCount == 1
		}
	}
	if (err == nil && !done) || isUniqueViolation(err) {
		return model.Errorf(model.CodeConflict, "%s", w.conflict)
	}
	return wrap("write "+w.coll.Name(), err)
}

// isUniqueViolation recognises a unique index refusing a write: MongoDB says
// so with code 11000; FerretDB does too on insert, but on update it answers
// an internal error that quotes SQLite (STORE-NOTES.md).
func isUniqueViolation(err error) bool {
	return err != nil && (mongo.IsDuplicateKeyError(err) || strings.Contains(err.Error(), "UNIQUE constraint failed"))
}

// claimDoc reserves one version of one document for one change.
type claimDoc struct {
	ID     string `bson:"_id"` // "<document id>@<version>"
	Change string `bson:"change"`
}

// claim reserves every version the edit makes. A version another change
// has claimed means the edit was planned on stale data: CONFLICT.
func (s *Store) claim(ctx context.Context, e *edit) error {
	var claims []any
	for _, w := range e.writes {
		// A write from version v makes version v+1, a deletion included.
		if w.version > 0 {
			claims = append(claims, claimDoc{ID: fmt.Sprintf("%s@%d", w.id, w.version+1), Change: e.id})
		}
	}
	if len(claims) == 0 {
		return nil
	}
	_, err := s.claims.InsertMany(ctx, claims)
	if mongo.IsDuplicateKeyError(err) {
		return model.Errorf(model.CodeConflict, "Someone else changed the same entry at the same time; reload it and try again.")
	}
	return wrap("claim versions", err)
}

// commit publishes the change in the feed, which is the commit point, and
// then moves it to history.
func (s *Store) commit(ctx context.Context, c changeDoc, step int) (int64, error) {
	if s.fault != nil {
		if err := s.fault(step); err != nil {
			return 0, err
		}
	}
	seq, err := s.publish(ctx, feedCommit, c.ID, c.entities())
	if err != nil {
		return 0, err
	}
	// The change is committed; recording it is bookkeeping that
	// RecoverPending redoes if it fails here.
	_ = s.record(ctx, c, seq)
	return seq, nil
}

// entities lists what the change touched, for the feed: its entries, and
// the relation documents it writes, so that a replica reads those by id
// rather than every relation of the roles (a full scan on FerretDB).
func (c changeDoc) entities() []entityRef {
	refs := make([]entityRef, 0, len(c.Entries))
	for _, en := range c.Entries {
		refs = append(refs, entityRef{Type: en.Type, ID: en.ID})
	}
	for _, u := range c.Undo {
		if u.Coll == relationsCollection {
			refs = append(refs, entityRef{Type: relationRef, ID: u.ID})
		}
	}
	return refs
}

// record moves a committed change from the journal to history, with its
// number and without its undo. Each step may be repeated.
func (s *Store) record(ctx context.Context, c changeDoc, seq int64) error {
	c.State, c.Seq, c.Undo = stateCommitted, seq, nil
	if _, err := s.history.InsertOne(ctx, c); err != nil && !mongo.IsDuplicateKeyError(err) {
		return wrap("record change", err)
	}
	_, err := s.changes.DeleteOne(ctx, byID(c.ID))
	return wrap("record change", err)
}

// abort undoes the first n writes of c and deletes it, then returns
// the error that stopped it. If the undo itself fails, c stays pending for
// RecoverPending, and the store's error is what the client hears.
func (s *Store) abort(ctx context.Context, c changeDoc, n int, cause error) error {
	// With the store away, trying to undo now would only add seconds to
	// the client's wait: undo as soon as it is back.
	if model.ErrorCodeOf(cause) == model.CodeServiceUnavailable {
		s.orphans.add(c, n)
		return cause
	}
	// The client may have gone; the undo must still run.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.rollBack(ctx, c, n); err != nil {
		// The store is away: undo the change as soon as it is back.
		s.orphans.add(c, n)
		return errors.Join(cause, err)
	}
	return cause
}

// orphans are the changes this instance failed and could not undo at
// once. They were reported as failed, so they must end undone: RetryOrphans
// undoes them as soon as the store answers again, long before
// RecoverPending would find them abandoned.
type orphans struct {
	mu      sync.Mutex
	pending map[string]orphan
}

type orphan struct {
	change changeDoc
	writes int // how many of its writes may have been made
}

func (o *orphans) add(c changeDoc, writes int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending == nil {
		o.pending = map[string]orphan{}
	}
	o.pending[c.ID] = orphan{change: c, writes: writes}
}

func (o *orphans) list() []orphan {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]orphan, 0, len(o.pending))
	for _, x := range o.pending {
		out = append(out, x)
	}
	return out
}

func (o *orphans) has(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.pending[id]
	return ok
}

func (o *orphans) done(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.pending, id)
}

// RetryOrphans undoes the changes this instance failed while the store was
// away, and reports how many it undid. It does nothing, and reads nothing,
// when there are none.
func (s *Store) RetryOrphans(ctx context.Context) (int, error) {
	n := 0
	for _, o := range s.orphans.list() {
		if err := s.rollBack(ctx, o.change, o.writes); err != nil {
			return n, err
		}
		s.orphans.done(o.change.ID)
		n++
	}
	return n, nil
}

// rollBack undoes a change that did not commit, whose first n writes may
// have been made: they are undone, a commit that may have landed anyway
// (only once every write was made) is withdrawn, the feed tells the other
// instances to read the entries again (one of them may have seen a write
// before it was undone), and the change is deleted.
func (s *Store) rollBack(ctx context.Context, c changeDoc, n int) error {
	if err := s.undo(ctx, c.ID, c.Undo[:n]); err != nil {
		return err
	}
	if n == len(c.Undo) {
		if _, err := s.commits.UpdateMany(ctx, bson.D{{Key: "change", Value: c.ID}, {Key: "kind", Value: feedCommit}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "withdrawn", Value: true}}}}); err != nil {
			return wrap("withdraw commit", err)
		}
	}
	if n > 0 {
		if _, err := s.publish(ctx, feedUndo, c.ID, c.entities()); err != nil {
			return err
		}
	}
	_, err := s.changes.DeleteOne(ctx, byID(c.ID))
	return wrap("drop aborted change", err)
}

// undo reverses writes, last first. Each step only touches a document that
// still carries the change's tag, so running it twice is harmless.
func (s *Store) undo(ctx context.Context, changeID string, undos []undoDoc) error {
	if s.undoFault != nil {
		return s.undoFault
	}
	defer func() {
		// The versions the change claimed are free again once its writes
		// are undone.
		_, _ = s.claims.DeleteMany(ctx, bson.D{{Key: "change", Value: changeID}})
	}()
	for i := len(undos) - 1; i >= 0; i-- {
		u := undos[i]
		coll := s.db.Collection(u.Coll)
		tagged := bson.D{{Key: "_id", Value: u.ID}, {Key: "lastChange", Value: changeID}}
		var err error
		switch {
		case u.Delete:
			_, err = coll.DeleteOne(ctx, tagged)
		case u.Before == nil:
			err = fmt.Errorf("undo of %s %s has no before image", u.Coll, u.ID)
		default:
			// A replaced document is put back if this change's version of
			// it is still there; a deleted one is inserted again.
			var res *mongo.UpdateResult
			if res, err = coll.ReplaceOne(ctx, tagged, u.Before); err == nil && res.MatchedCount == 0 {
				_, err = coll.InsertOne(ctx, u.Before)
				if mongo.IsDuplicateKeyError(err) {
					err = nil // a later change rewrote it; leave it be
				}
			}
		}
		if err != nil {
			return wrap("undo change", err)
		}
	}
	return nil
}

// RecoverPending finishes the changes left in the journal for longer than
// olderThan (an instance died mid-edit, or could not undo when the store
// failed): a committed one moves to history, any other is undone. It
// reports how many it finished. The server runs it at start and every
// minute.
func (s *Store) RecoverPending(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	stale, err := findAll(ctx, s.changes, "find pending changes",
		bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: cutoff}}}},
		nil, func(c changeDoc) changeDoc { return c })
	if err != nil {
		return 0, err
	}
	finished := 0
	for _, c := range stale {
		if s.orphans.has(c.ID) {
			continue // this instance reported it failed: RetryOrphans undoes it
		}
		// A store written before history had a collection of its own
		// kept committed changes here, marked with their number.
		seq := c.Seq
		if c.State != stateCommitted {
			if seq, err = s.committedSeq(ctx, c.ID); err != nil {
				return 0, err
			}
		}
		if seq > 0 {
			// Committed, but not recorded: finish it.
			if err := s.record(ctx, c, seq); err != nil {
				return finished, err
			}
			finished++
			continue
		}
		if err := s.rollBack(ctx, c, len(c.Undo)); err != nil {
			return finished, err
		}
		finished++
	}
	return finished, nil
}
