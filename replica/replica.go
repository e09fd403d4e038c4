// Package replica keeps the whole catalog in memory and current, so that
// reads never wait on the store. It loads the catalog at start, then
// follows the store's change log: every change holds the new state of each
// document it wrote, so following it is one find by _id a change, and
// applying it needs no other read. An instance that commits a change
// applies it at once, so its next read sees it; the others follow within a
// poll interval. The store stays the single source of truth: a replica
// that cannot reach it says how old its data is (Age), and the server stops
// calling itself ready.
package replica

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/store"
)

// Source is the store as a replica reads it.
type Source interface {
	// LoadAll reads the collections, and the number up to which the log
	// is projected into them.
	LoadAll(ctx context.Context) (store.Dump, int64, error)
	// ChangeAt returns the change with the number, or nil if none has it.
	ChangeAt(ctx context.Context, seq int64) (*model.Change, error)
}

// Replica is an in-memory copy of the catalog that follows the change log.
type Replica struct {
	src    Source
	logger *slog.Logger
	// applied, when set, is told of every change the replica applies, in
	// order: the projector takes them from here rather than read them again.
	applied func(*model.Change)

	snap     atomic.Pointer[Snapshot]
	syncedAt atomic.Int64 // unix nanoseconds of the last successful sync

	mu   sync.Mutex // serialises applying changes
	data data
}

// New returns a replica of src that holds nothing until Load. applied may
// be nil.
func New(src Source, logger *slog.Logger, applied func(*model.Change)) *Replica {
	return &Replica{src: src, logger: logger, applied: applied}
}

// Open returns a replica with the whole catalog loaded from src.
func Open(ctx context.Context, src Source, logger *slog.Logger, applied func(*model.Change)) (*Replica, error) {
	r := New(src, logger, applied)
	return r, r.Load(ctx)
}

// Load reads the whole catalog from the store.
func (r *Replica) Load(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reload(ctx)
}

// Current returns the latest snapshot, or nil before Load. A request
// should take it once and read only it.
func (r *Replica) Current() *Snapshot { return r.snap.Load() }

// Age is how long ago the replica last heard from the store.
func (r *Replica) Age() time.Duration {
	return time.Since(time.Unix(0, r.syncedAt.Load()))
}

// reload reads the collections, then applies the log from where they are
// projected up to its end. The caller holds mu.
func (r *Replica) reload(ctx context.Context) error {
	dump, seq, err := r.src.LoadAll(ctx)
	if err != nil {
		return fmt.Errorf("replica: load the catalog: %w", err)
	}
	d := data{
		roles:     index(dump.Roles, func(x *model.Role) string { return x.ID }),
		tools:     index(dump.Tools, func(x *model.Tool) string { return x.ID }),
		resources: index(dump.Resources, func(x *model.LearningResource) string { return x.ID }),
		relations: make(map[string]model.Relation, len(dump.Relations)),
	}
	for _, rel := range dump.Relations {
		d.relations[rel.ID] = rel
	}
	r.data = d
	r.snap.Store(build(seq, time.Time{}, &r.data))
	// The collections were read after every change up to the log's end
	// at this moment was appended, so a change asking to read everything
	// again is already covered.
	return r.follow(ctx, true)
}

func index[T any](items []T, id func(*T) string) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		m[id(&items[i])] = &items[i]
	}
	return m
}

// CatchUp applies every change the replica has not seen. After it returns
// nil, the current snapshot includes every change committed before it was
// called. It reads the log without holding mu: a store that stops
// answering must not hold up Apply, which an editor calls while other
// editors wait for their turn.
func (r *Replica) CatchUp(ctx context.Context) error {
	for {
		batch, err := r.read(ctx, r.snap.Load().seq+1)
		if err != nil {
			return err
		}
		r.mu.Lock()
		applied, err := r.applyNew(ctx, batch, false)
		r.mu.Unlock()
		if applied || err != nil {
			return err
		}
		// A reload took the snapshot back while the log was read: read
		// again from its place.
	}
}

// Apply applies a change this instance has just committed, with no store
// command; if other changes came before it, it catches up, which reads it
// from the log too. A change the replica already has is left alone.
func (r *Replica) Apply(ctx context.Context, c *model.Change) error {
	r.mu.Lock()
	seq := r.snap.Load().seq
	if c.Seq == seq+1 {
		defer r.mu.Unlock()
		return r.applyAll(ctx, []*model.Change{c}, false)
	}
	r.mu.Unlock()
	if c.Seq <= seq {
		return nil
	}
	return r.CatchUp(ctx)
}

// follow reads the log from the replica's place to its end and applies
// what it finds; afterReload says the collections were just read. The
// caller holds mu.
func (r *Replica) follow(ctx context.Context, afterReload bool) error {
	batch, err := r.read(ctx, r.snap.Load().seq+1)
	if err == nil {
		_, err = r.applyNew(ctx, batch, afterReload)
	}
	return err
}

// read reads the log from the change numbered from to its end, one find
// by _id a change.
func (r *Replica) read(ctx context.Context, from int64) ([]*model.Change, error) {
	var batch []*model.Change
	for seq := from; ; seq++ {
		c, err := r.src.ChangeAt(ctx, seq)
		if err != nil {
			return nil, fmt.Errorf("replica: read the change log: %w", err)
		}
		if c == nil {
			break
		}
		batch = append(batch, c)
	}
	r.syncedAt.Store(time.Now().UnixNano())
	return batch, nil
}

// applyNew applies the changes of batch, read from the log in order, that
// the replica does not have yet: another caller may have applied some
// while it was read. It reports false, having applied nothing, when the
// batch no longer follows the snapshot (a reload took it back). The caller
// holds mu.
func (r *Replica) applyNew(ctx context.Context, batch []*model.Change, afterReload bool) (bool, error) {
	seq := r.snap.Load().seq
	for len(batch) > 0 && batch[0].Seq <= seq {
		batch = batch[1:]
	}
	if len(batch) == 0 {
		return true, nil
	}
	if batch[0].Seq != seq+1 {
		return false, nil
	}
	return true, r.applyAll(ctx, batch, afterReload)
}

// applyAll applies changes, which follow the snapshot's number without a
// gap, and builds one snapshot of the result. The caller holds mu.
func (r *Replica) applyAll(ctx context.Context, changes []*model.Change, afterReload bool) error {
	// Copy on write: the current snapshot keeps the maps it was built on.
	next := data{roles: maps.Clone(r.data.roles), tools: maps.Clone(r.data.tools),
		resources: maps.Clone(r.data.resources), relations: maps.Clone(r.data.relations)}
	for _, c := range changes {
		if c.Reload && !afterReload {
			// Seeding wrote the collections themselves: read them again.
			return r.reload(ctx)
		}
		next.apply(c)
	}
	last := changes[len(changes)-1]
	r.data = next
	r.snap.Store(extend(r.snap.Load(), last.Seq, last.At, &r.data, touchedBy(changes)))
	if r.applied != nil {
		for _, c := range changes {
			r.applied(c)
		}
	}
	return nil
}

// apply puts every document a change wrote as the change left it.
func (d *data) apply(c *model.Change) {
	for _, w := range c.Writes {
		switch w.Type {
		case model.TypeRole:
			set(d.roles, w.ID, w.Role)
		case model.TypeTool:
			set(d.tools, w.ID, w.Tool)
		case model.TypeResource:
			set(d.resources, w.ID, w.Resource)
		case model.TypeRelation:
			if w.Relation == nil {
				delete(d.relations, w.ID)
			} else {
				d.relations[w.ID] = *w.Relation
			}
		}
	}
}

// set puts v under id, or removes id when v is nil (a deletion).
func set[T any](m map[string]*T, id string, v *T) {
	if v == nil {
		delete(m, id)
		return
	}
	m[id] = v
}

// Follow asks the store for new changes every interval until ctx ends: one
// find by _id for the next number, whatever the log's length.
func (r *Replica) Follow(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pollCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := r.CatchUp(pollCtx)
		cancel()
		if err != nil && ctx.Err() == nil {
			r.logger.Warn("replica cannot follow the store", "error", err, "data_age", r.Age().Round(time.Second))
		}
	}
}
