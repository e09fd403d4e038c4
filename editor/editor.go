// Package editor makes every change to the catalog. A mutation is checked
// against the catalog as the instance's replica holds it, turned into one
// change (the new state of every document it writes, its history, who made
// it and when), and committed with one insert into the store's change log,
// numbered one past the newest change the replica has seen. If another
// change took that number first, the replica catches up and the mutation is
// checked again against the newer catalog, so an edit always applies to
// the entries as they stand when it commits: concurrent edits never fail
// because of each other, and of editors who read the same expectedVersion
// exactly one wins, on one instance or many. A refused mutation writes
// nothing. docs/ARCHITECTURE.md tells the whole story.
package editor

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/store"
)

// Log is the store's change log as the editor uses it.
type Log interface {
	// Append inserts the change; store.ErrSeqTaken when its number is taken.
	Append(ctx context.Context, c *model.Change) error
	// ChangeAt returns the change with the number, or nil.
	ChangeAt(ctx context.Context, seq int64) (*model.Change, error)
}

// Editor plans and commits changes.
type Editor struct {
	log     Log
	replica *replica.Replica
	logger  *slog.Logger
	// turn lets one change at a time be planned and committed on this
	// instance: its editors never race each other for a number, and a
	// change is planned on a replica that has every change this instance
	// made.
	turn chan struct{}
	// outage is closed when a commit finds the store away, to release the
	// editors queued behind it at once rather than one store timeout
	// after another; a new one replaces it.
	mu     sync.Mutex
	outage chan struct{}
	doubt  doubts
}

// New returns an editor that commits to log and plans on r, which hands
// every change it applies on to whoever follows it (the projector).
func New(log Log, r *replica.Replica, logger *slog.Logger) *Editor {
	return &Editor{log: log, replica: r, logger: logger, turn: make(chan struct{}, 1), outage: make(chan struct{})}
}

// errStoreAway is what editors queued behind a commit that found the store
// away are told: nothing of theirs was sent.
var errStoreAway = model.Unavailable(errors.New("editor: the store went away while an earlier edit was being committed"))

// takeTurn waits for this instance's turn to commit.
func (e *Editor) takeTurn(ctx context.Context) error {
	e.mu.Lock()
	outage := e.outage
	e.mu.Unlock()
	select {
	case e.turn <- struct{}{}:
		return nil
	case <-outage:
		return errStoreAway
	case <-ctx.Done():
		return model.Unavailable(ctx.Err())
	}
}

// storeAway releases the editors waiting for their turn.
func (e *Editor) storeAway() {
	e.mu.Lock()
	defer e.mu.Unlock()
	close(e.outage)
	e.outage = make(chan struct{})
}

// maxAttempts bounds how often one mutation is planned again because other
// instances took its number: only a flood of edits elsewhere gets there.
const maxAttempts = 50

// commitTimeout bounds the commit's insert. It runs apart from the
// client's context: once sent, a commit's outcome must be known whether
// or not the client is still there.
const commitTimeout = 5 * time.Second

// draft is a change being planned on one snapshot of the catalog.
type draft struct {
	snap    *replica.Snapshot
	at      time.Time
	entries []model.ChangeEntry
	writes  []model.Write
}

func (d *draft) write(w model.Write, entry *model.ChangeEntry) {
	d.writes = append(d.writes, w)
	if entry != nil {
		d.entries = append(d.entries, *entry)
	}
}

// commit plans a change with plan on the newest catalog and appends it to
// the log, planning it again on a newer catalog each time another change
// took its number. A plan that fails writes nothing; one that writes
// nothing commits nothing. It returns the committed change, or nil.
func (e *Editor) commit(ctx context.Context, op string, plan func(d *draft) error) (*model.Change, error) {
	if err := e.takeTurn(ctx); err != nil {
		return nil, err
	}
	defer func() { <-e.turn }()
	for range maxAttempts {
		snap := e.replica.Current()
		// Changes are dated in log order, so the feed can find a time by
		// binary search: never before the change before.
		d := &draft{snap: snap, at: later(time.Now().UTC().Truncate(time.Millisecond), snap.At())}
		if err := plan(d); err != nil {
			return nil, err
		}
		if len(d.writes) == 0 {
			return nil, nil
		}
		c := &model.Change{ID: uuid.Must(uuid.NewV7()).String(), Seq: snap.Seq() + 1, At: d.at,
			Operation: op, Entries: d.entries, Writes: d.writes}
		c.Actor, c.ActorKeyID = "anonymous", ""
		if v := model.ViewerFrom(ctx); v != nil {
			c.Actor, c.ActorKeyID = v.Name, v.KeyID
		}
		err := e.append(ctx, c, snap)
		if errors.Is(err, store.ErrSeqTaken) {
			if err := e.replica.CatchUp(ctx); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		// The commit stands whatever happens next: if the replica cannot
		// apply it now, it reads it from the log at its next catch-up.
		if err := e.replica.Apply(ctx, c); err != nil {
			e.logger.Warn("the replica will read a committed change from the log", "seq", c.Seq, "error", err)
		}
		return c, nil
	}
	return nil, model.Errorf(model.CodeServiceUnavailable, "Too many edits are being made at once; please try again.")
}

// append commits c, planned on snap. When the store stops answering
// during the insert, the change may or may not have been written: the
// client is told it failed, and the editor makes sure it does not stand
// (doubts.go).
func (e *Editor) append(ctx context.Context, c *model.Change, snap *replica.Snapshot) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	err := e.log.Append(ctx, c)
	if model.ErrorCodeOf(err) == model.CodeServiceUnavailable {
		e.doubt.add(c, snap)
		e.storeAway()
	}
	return err
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// actorOf is who sends the request, for a change's history.
func actorOf(ctx context.Context) string {
	if v := model.ViewerFrom(ctx); v != nil {
		return v.Name
	}
	return "anonymous"
}
