package editor

import (
	"context"
	"reflect"
	"sync"
	"time"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
)

// When the store stops answering while a commit's insert is on its way,
// the insert may have been written or not, and nobody can tell until the
// store is back. The client is told the edit failed (SERVICE_UNAVAILABLE),
// so it must not stand: the editor keeps it as a doubt and, once the store
// answers, reads the change's number. If the change is there, a change
// that undoes it is committed: every entry it wrote that no later change
// has touched goes back to how it was. Entries later changes built on stay
// as they are: undoing them would lose those editors' work.

// doubtSettled is how long a number may stay free before an insert sent to
// it is taken never to arrive.
const doubtSettled = time.Minute

// OperationUndo names the change that undoes a change whose editor was
// told it failed.
const OperationUndo = "undoFailedChange"

type doubt struct {
	change  *model.Change
	planned *replica.Snapshot // the catalog the change was planned on
	since   time.Time
}

type doubts struct {
	mu   sync.Mutex
	list []doubt
}

func (ds *doubts) add(c *model.Change, planned *replica.Snapshot) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.list = append(ds.list, doubt{change: c, planned: planned, since: time.Now()})
}

func (ds *doubts) take() []doubt {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	out := ds.list
	ds.list = nil
	return out
}

// Settle resolves the commits whose outcome the store's absence left in
// doubt, and reports how many changes it undid. It does nothing, and reads
// nothing, when there are none. The server runs it every second.
func (e *Editor) Settle(ctx context.Context) (int, error) {
	undone := 0
	var firstErr error
	for _, d := range e.doubt.take() {
		found, err := e.log.ChangeAt(ctx, d.change.Seq)
		switch {
		case err != nil:
		case found == nil && time.Since(d.since) < doubtSettled:
			// The number is free, but the insert might still arrive: look
			// again later, until another change takes the number or it
			// has been free too long for the insert to come.
			err = errPending
		case found == nil || found.ID != d.change.ID:
			continue // it was not written
		default:
			if err = e.undo(ctx, d); err == nil {
				undone++
				continue
			}
		}
		e.doubt.mu.Lock()
		e.doubt.list = append(e.doubt.list, d)
		e.doubt.mu.Unlock()
		if err != errPending && firstErr == nil {
			firstErr = err
		}
	}
	return undone, firstErr
}

var errPending = model.Errorf(model.CodeServiceUnavailable, "pending")

// undo commits the change that puts back what a doubted change wrote.
func (e *Editor) undo(ctx context.Context, d doubt) error {
	if err := e.replica.CatchUp(ctx); err != nil {
		return err
	}
	c, err := e.commit(ctx, OperationUndo, func(dr *draft) error {
		for _, w := range d.change.Writes {
			if !stillAsLeft(dr.snap, w) {
				continue
			}
			restore(dr, d.planned, w)
		}
		return nil
	})
	if err == nil && c != nil {
		e.logger.Info("undid a change its editor was told had failed", "seq", d.change.Seq, "undo_seq", c.Seq, "operation", d.change.Operation)
	}
	return err
}

// stillAsLeft reports whether the document w wrote is still as w left it.
func stillAsLeft(s *replica.Snapshot, w model.Write) bool {
	switch w.Type {
	case model.TypeRole:
		return sameVersion(s.Role(w.ID), w.Role, func(r *model.Role) (int, time.Time) { return r.Version, r.UpdatedAt })
	case model.TypeTool:
		return sameVersion(s.Tool(w.ID), w.Tool, func(t *model.Tool) (int, time.Time) { return t.Version, t.UpdatedAt })
	case model.TypeResource:
		return sameVersion(s.Resource(w.ID), w.Resource, func(r *model.LearningResource) (int, time.Time) { return r.Version, r.UpdatedAt })
	case model.TypeRelation:
		cur, ok := s.Relation(w.ID)
		if w.Relation == nil {
			return !ok
		}
		return ok && reflect.DeepEqual(cur, *w.Relation)
	}
	return false
}

// sameVersion reports whether cur is the version left (both nil for a
// deletion): versions and update times only ever move forward.
func sameVersion[T any](cur, left *T, version func(*T) (int, time.Time)) bool {
	if cur == nil || left == nil {
		return cur == nil && left == nil
	}
	v1, t1 := version(cur)
	v2, t2 := version(left)
	return v1 == v2 && t1.Equal(t2)
}

// restore writes the document w wrote back as it was on the planned
// catalog: deleted if it did not exist, otherwise its old content as its
// next version.
func restore(d *draft, planned *replica.Snapshot, w model.Write) {
	switch w.Type {
	case model.TypeRole:
		old, cur := planned.Role(w.ID), d.snap.Role(w.ID)
		restoreEntry(d, w, old, cur, func(r *model.Role) { r.UpdatedAt = d.at },
			func(r *model.Role) *int { return &r.Version }, func(r *model.Role) string { return r.Slug },
			func(id string, created bool, r *model.Role) model.Write {
				return model.Write{Type: model.TypeRole, ID: id, Created: created, Role: r}
			})
	case model.TypeTool:
		old, cur := planned.Tool(w.ID), d.snap.Tool(w.ID)
		restoreEntry(d, w, old, cur, func(t *model.Tool) { t.UpdatedAt = d.at },
			func(t *model.Tool) *int { return &t.Version }, func(t *model.Tool) string { return t.Slug }, toolKind.write)
	case model.TypeResource:
		old, cur := planned.Resource(w.ID), d.snap.Resource(w.ID)
		restoreEntry(d, w, old, cur, func(r *model.LearningResource) { r.UpdatedAt = d.at },
			func(r *model.LearningResource) *int { return &r.Version }, func(r *model.LearningResource) string { return r.Slug },
			resourceKind.write)
	case model.TypeRelation:
		if old, ok := planned.Relation(w.ID); ok {
			d.write(model.Write{Type: model.TypeRelation, ID: w.ID, Created: w.Relation == nil, Relation: &old}, nil)
		} else {
			d.write(model.Write{Type: model.TypeRelation, ID: w.ID}, nil)
		}
	}
}

// restoreEntry restores one role, tool or resource: old is how it was
// planned on (nil: the change made it), cur how it is now (nil: the change
// deleted it). History records it as made, changed or deleted again, with
// the undone change's operation.
func restoreEntry[T any](d *draft, w model.Write, old, cur *T, touch func(*T), version func(*T) *int, slug func(*T) string,
	write func(string, bool, *T) model.Write) {
	if old == nil {
		d.write(write(w.ID, false, nil), &model.ChangeEntry{Type: w.Type, ID: w.ID, Slug: slug(cur), Action: model.ActionDeleted})
		return
	}
	back := *old
	touch(&back)
	*version(&back) = *version(old) + 1
	if cur != nil {
		*version(&back) = *version(cur) + 1
	}
	action := model.ActionUpdated
	if cur == nil {
		action = model.ActionCreated
	}
	d.write(write(w.ID, cur == nil, &back), &model.ChangeEntry{Type: w.Type, ID: w.ID, Slug: slug(&back), Action: action, Version: *version(&back)})
}
