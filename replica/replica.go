// Package replica keeps the whole catalog in memory and current, so that
// reads never wait on the store. It loads the catalog at start, then
// follows the store's change feed: every instance polls a tiny version
// counter, and when it moves reads the new feed entries and reloads just
// the entries they name. An instance that writes catches up before it
// answers, so its next read sees its write; the others follow within a
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
	LoadAll(ctx context.Context) (store.Dump, int64, error)
	LoadSome(ctx context.Context, w store.Wanted) (store.Dump, error)
	Feed(ctx context.Context, seq int64, limit int) ([]model.FeedEntry, error)
	FeedVersion(ctx context.Context) (int64, error)
}

// feedBatch is how many feed entries one read takes.
const feedBatch = 500

// Replica is an in-memory copy of the catalog that follows the store.
type Replica struct {
	src    Source
	logger *slog.Logger

	snap     atomic.Pointer[Snapshot]
	syncedAt atomic.Int64 // unix nanoseconds of the last successful sync

	mu      sync.Mutex // serialises catching up
	data    data
	version int64 // the feed version counter when last read
}

// Open loads the whole catalog from src.
func Open(ctx context.Context, src Source, logger *slog.Logger) (*Replica, error) {
	r := &Replica{src: src, logger: logger}
	if err := r.reload(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Current returns the latest snapshot. A request should take it once and
// read only it.
func (r *Replica) Current() *Snapshot { return r.snap.Load() }

// Age is how long ago the replica last heard from the store.
func (r *Replica) Age() time.Duration {
	return time.Since(time.Unix(0, r.syncedAt.Load()))
}

// reload reads the whole catalog. The caller holds mu, or no one else can
// yet reach r.
func (r *Replica) reload(ctx context.Context) error {
	dump, seq, err := r.src.LoadAll(ctx)
	if err != nil {
		return fmt.Errorf("replica: load the catalog: %w", err)
	}
	r.data = data{
		roles:     index(dump.Roles, func(x *model.Role) string { return x.ID }),
		tools:     index(dump.Tools, func(x *model.Tool) string { return x.ID }),
		resources: index(dump.Resources, func(x *model.LearningResource) string { return x.ID }),
		relations: make(map[string]model.Relation, len(dump.Relations)),
	}
	for _, rel := range dump.Relations {
		r.data.relations[rel.ID] = rel
	}
	r.snap.Store(build(seq, &r.data, r.snap.Load()))
	r.syncedAt.Store(time.Now().UnixNano())
	return nil
}

func index[T any](items []T, id func(*T) string) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		m[id(&items[i])] = &items[i]
	}
	return m
}

// CatchUp applies every feed entry the replica has not seen. After it
// returns nil, the current snapshot includes every edit committed before
// it was called.
func (r *Replica) CatchUp(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		seq := r.snap.Load().seq
		entries, err := r.src.Feed(ctx, seq, feedBatch)
		if err != nil {
			return fmt.Errorf("replica: read the change feed: %w", err)
		}
		if len(entries) == 0 {
			r.syncedAt.Store(time.Now().UnixNano())
			return nil
		}
		if entries[0].Seq > seq+1 && seq > 0 {
			// The entries after ours were pruned: we were away too long.
			r.logger.Warn("replica fell behind the change feed; reloading the catalog", "had", seq, "next", entries[0].Seq)
			if err := r.reload(ctx); err != nil {
				return err
			}
			continue
		}
		if err := r.apply(ctx, entries); err != nil {
			return err
		}
		if len(entries) < feedBatch {
			// A short batch is the whole feed as it was when read: there
			// is no need to read it again to find nothing.
			r.syncedAt.Store(time.Now().UnixNano())
			return nil
		}
	}
}

// apply reloads what entries name and builds the next snapshot.
func (r *Replica) apply(ctx context.Context, entries []model.FeedEntry) error {
	last := entries[len(entries)-1].Seq
	roles, tools, resources := map[string]bool{}, map[string]bool{}, map[string]bool{}
	relations, relationsOf := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		if e.Full {
			// A reload reads the feed's number first, so it covers every
			// entry of this batch.
			return r.reload(ctx)
		}
		for _, id := range e.RoleIDs {
			roles[id] = true
			if !e.RelationsListed {
				relationsOf[id] = true
			}
		}
		for _, id := range e.ToolIDs {
			tools[id] = true
		}
		for _, id := range e.ResourceIDs {
			resources[id] = true
		}
		for _, id := range e.RelationIDs {
			relations[id] = true
		}
	}
	want := store.Wanted{Roles: keys(roles), Tools: keys(tools), Resources: keys(resources),
		Relations: keys(relations), RelationsOf: keys(relationsOf)}
	dump, err := r.src.LoadSome(ctx, want)
	if err != nil {
		return fmt.Errorf("replica: reload changed entries: %w", err)
	}
	// Copy on write: the current snapshot keeps the maps it was built on.
	next := data{roles: maps.Clone(r.data.roles), tools: maps.Clone(r.data.tools),
		resources: maps.Clone(r.data.resources), relations: maps.Clone(r.data.relations)}
	replace(next.roles, want.Roles, dump.Roles, func(x *model.Role) string { return x.ID })
	replace(next.tools, want.Tools, dump.Tools, func(x *model.Tool) string { return x.ID })
	replace(next.resources, want.Resources, dump.Resources, func(x *model.LearningResource) string { return x.ID })
	for id := range relations {
		delete(next.relations, id)
	}
	if len(relationsOf) > 0 {
		for id, rel := range next.relations {
			if relationsOf[rel.FromID] || relationsOf[rel.ToID] {
				delete(next.relations, id)
			}
		}
	}
	for _, rel := range dump.Relations {
		next.relations[rel.ID] = rel
	}
	r.data = next
	r.snap.Store(build(last, &r.data, r.snap.Load()))
	return nil
}

// replace removes the entries with ids from m and puts back those that
// still exist.
func replace[T any](m map[string]*T, ids []string, items []T, id func(*T) string) {
	for _, k := range ids {
		delete(m, k)
	}
	for i := range items {
		m[id(&items[i])] = &items[i]
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Follow polls the store every interval until ctx ends: a cheap read of the
// feed's version counter, and the feed itself when the counter moved or
// every tenth poll (the counter is a hint; the feed is the truth).
func (r *Replica) Follow(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for poll := 0; ; poll++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := r.poll(ctx, poll%10 == 0); err != nil && ctx.Err() == nil {
			r.logger.Warn("replica cannot follow the store", "error", err, "data_age", r.Age().Round(time.Second))
		}
	}
}

func (r *Replica) poll(ctx context.Context, always bool) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, err := r.src.FeedVersion(ctx)
	if err != nil {
		return err
	}
	r.mu.Lock()
	changed := v != r.version
	r.version = v
	r.mu.Unlock()
	if !changed && !always {
		r.syncedAt.Store(time.Now().UnixNano())
		return nil
	}
	return r.CatchUp(ctx)
}
