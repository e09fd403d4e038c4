// Package loaders batches the reads of one request: every cross-link a
// resolver follows (role to tools, tool to roles, role to relations, and
// lookups by id) goes through a per-request dataloader, so a list of 50 roles
// with their tools costs the same number of store reads as a list of 5.
package loaders

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/finder-platform/finder/model"
)

// Options tune every loader.
type Options struct {
	// Wait is how long a loader collects keys before it reads them in one
	// batch. Longer catches more keys per batch when every read is a round
	// trip; zero suits a reader that answers from memory.
	Wait time.Duration
	// OnBatch, when set, is told the size of every batch a loader reads.
	OnBatch func(loader string, keys int)
}

// Loaders are one request's loaders. Build them per request with New: they
// cache what they read, and that cache must not outlive the request. Root
// fields read through Reader, so a request reads one view of the catalog.
type Loaders struct {
	reader atomic.Pointer[model.CatalogReader]

	RoleByID          *dataloadgen.Loader[string, *model.Role]
	ToolByID          *dataloadgen.Loader[string, *model.Tool]
	ResourceByID      *dataloadgen.Loader[string, *model.LearningResource]
	RolesByTool       *dataloadgen.Loader[string, []*model.Role]
	RolesByResource   *dataloadgen.Loader[string, []*model.Role]
	RelationsByRoleID *dataloadgen.Loader[string, []model.RoleRelation]
}

// New returns fresh loaders over r.
func New(r model.CatalogReader, o Options) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(o.Wait)}
	report := func(name string, n int) {
		if o.OnBatch != nil {
			o.OnBatch(name, n)
		}
	}
	l := &Loaders{}
	l.reader.Store(&r)
	// The fetches ask l for its reader each time: Reset may swap it.
	rd := l.Reader
	l.RoleByID = dataloadgen.NewMappedLoader(byID("role", via(rd, model.CatalogReader.RolesByIDs), roleID, report), opts...)
	l.ToolByID = dataloadgen.NewMappedLoader(byID("tool", via(rd, model.CatalogReader.ToolsByIDs), toolID, report), opts...)
	l.ResourceByID = dataloadgen.NewMappedLoader(byID("resource", via(rd, model.CatalogReader.ResourcesByIDs), resourceID, report), opts...)
	l.RolesByTool = dataloadgen.NewMappedLoader(byParent("roles_by_tool", via(rd, model.CatalogReader.RolesUsingTools), roleToolIDs, report), opts...)
	l.RolesByResource = dataloadgen.NewMappedLoader(byParent("roles_by_resource", via(rd, model.CatalogReader.RolesUsingResources), roleResourceIDs, report), opts...)
	l.RelationsByRoleID = dataloadgen.NewMappedLoader(relations(via(rd, model.CatalogReader.RelationsOf), report), opts...)
	return l
}

// via turns a batch read of the reader into a fetch that asks rd for the
// reader when it runs.
func via[T any](rd func() model.CatalogReader, read func(model.CatalogReader, context.Context, []string) ([]T, error)) func(context.Context, []string) ([]T, error) {
	return func(ctx context.Context, keys []string) ([]T, error) { return read(rd(), ctx, keys) }
}

// Reader is the view of the catalog this request reads.
func (l *Loaders) Reader() model.CatalogReader { return *l.reader.Load() }

func roleID(r *model.Role) string                 { return r.ID }
func toolID(t *model.Tool) string                 { return t.ID }
func resourceID(r *model.LearningResource) string { return r.ID }
func roleToolIDs(r *model.Role) []string          { return r.ToolIDs }
func roleResourceIDs(r *model.Role) []string      { return r.ResourceIDs }

// byID reads entries by id. Every key gets an answer: nil when no entry has
// that id (it was deleted), which resolvers skip.
func byID[T any](name string, read func(context.Context, []string) ([]T, error), id func(*T) string, report func(string, int)) func(context.Context, []string) (map[string]*T, error) {
	return func(ctx context.Context, ids []string) (map[string]*T, error) {
		report(name, len(ids))
		items, err := read(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[string]*T, len(ids))
		for _, k := range ids {
			out[k] = nil
		}
		for i := range items {
			out[id(&items[i])] = &items[i]
		}
		return out, nil
	}
}

// byParent reads the roles that point at any of the keys and groups them by
// key, keeping the reader's order. Every key gets a list, empty if need be.
func byParent(name string, read func(context.Context, []string) ([]model.Role, error), links func(*model.Role) []string, report func(string, int)) func(context.Context, []string) (map[string][]*model.Role, error) {
	return func(ctx context.Context, keys []string) (map[string][]*model.Role, error) {
		report(name, len(keys))
		roles, err := read(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[string][]*model.Role, len(keys))
		for _, k := range keys {
			out[k] = []*model.Role{}
		}
		for i := range roles {
			for _, k := range links(&roles[i]) {
				if list, asked := out[k]; asked {
					out[k] = append(list, &roles[i])
				}
			}
		}
		return out, nil
	}
}

// relations reads the relations of the roles and returns each as its role
// sees it. Every key gets a list, empty if need be.
func relations(read func(context.Context, []string) ([]model.Relation, error), report func(string, int)) func(context.Context, []string) (map[string][]model.RoleRelation, error) {
	return func(ctx context.Context, roleIDs []string) (map[string][]model.RoleRelation, error) {
		report("relations_by_role", len(roleIDs))
		rels, err := read(ctx, roleIDs)
		if err != nil {
			return nil, err
		}
		out := make(map[string][]model.RoleRelation, len(roleIDs))
		for _, id := range roleIDs {
			out[id] = []model.RoleRelation{}
		}
		for _, rel := range rels {
			for _, id := range []string{rel.FromID, rel.ToID} {
				if list, asked := out[id]; asked {
					rr, _ := model.RelationFrom(rel, id)
					out[id] = append(list, rr)
				}
			}
		}
		return out, nil
	}
}

type ctxKey struct{}

// WithLoaders returns ctx carrying l.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders. It panics if the request has none: that
// is a wiring mistake, not something a client can cause.
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loaders: no loaders in context; is loaders.Middleware installed?")
	}
	return l
}

// Found loads every id and returns the entries that exist, in id order.
func Found[T any](ctx context.Context, l *dataloadgen.Loader[string, *T], ids []string) ([]*T, error) {
	items, err := l.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(items))
	for _, it := range items {
		if it != nil {
			out = append(out, it)
		}
	}
	return out, nil
}

// Reset makes the rest of the request read r, as a write left the catalog,
// and empties every loader's cache.
func (l *Loaders) Reset(r model.CatalogReader) {
	l.reader.Store(&r)
	l.RoleByID.ClearAll()
	l.ToolByID.ClearAll()
	l.ResourceByID.ClearAll()
	l.RolesByTool.ClearAll()
	l.RolesByResource.ClearAll()
	l.RelationsByRoleID.ClearAll()
}
