package graph

import (
	"context"
	"time"

	"github.com/finder-platform/finder/loaders"
	"github.com/finder-platform/finder/model"
)

// Resolver answers the schema. Every read goes through the request's
// loaders (loaders.For): root fields through their Reader, nested fields
// through the batching loaders. Mutations go through Writer, and then
// through Refresh, which returns a view of the catalog that includes the
// write, for the rest of the request. The public feed of changes reads
// Feed, up to Head, the newest change the instance has.
type Resolver struct {
	Writer  model.CatalogWriter
	Refresh func(ctx context.Context) (model.CatalogReader, error)
	Feed    ChangeFeed
	Head    func() int64
}

// ChangeFeed reads pages of the public feed of changes.
type ChangeFeed interface {
	ChangeFeed(ctx context.Context, head int64, since *time.Time, p model.PageRequest) (model.Page[model.Change], error)
}

// reader is the view of the catalog the request reads.
func reader(ctx context.Context) model.CatalogReader { return loaders.For(ctx).Reader() }
