package store

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

// resourceDoc is a learning resource as the resources collection keeps it.
type resourceDoc struct {
	ID          string    `bson:"_id"`
	Slug        string    `bson:"slug"`
	Title       string    `bson:"title"`
	TitleKey    string    `bson:"titleKey"`
	Provider    string    `bson:"provider"`
	URL         string    `bson:"url"`
	Kind        string    `bson:"kind"`
	Free        bool      `bson:"free"`
	Description string    `bson:"description"`
	SearchTerms string    `bson:"searchTerms"`
	Version     int       `bson:"version"`
	CreatedAt   time.Time `bson:"createdAt"`
	UpdatedAt   time.Time `bson:"updatedAt"`
	// Seq is the number of the change that last wrote the document (0 when
	// it was seeded), so that a reader with mongosh can find it in the log.
	Seq int64 `bson:"seq"`
}

func toResourceDoc(r *model.LearningResource) resourceDoc {
	return resourceDoc{
		ID: r.ID, Slug: r.Slug, Title: r.Title, TitleKey: strings.ToLower(r.Title),
		Provider: r.Provider, URL: r.URL, Kind: string(r.Kind), Free: r.Free,
		Description: r.Description, SearchTerms: searchTerms(model.ResourceSearchKey(r)),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func (d resourceDoc) model() model.LearningResource {
	return model.LearningResource{
		ID: d.ID, Slug: d.Slug, Title: d.Title, Provider: d.Provider, URL: d.URL,
		Kind: model.ResourceKind(d.Kind), Free: d.Free, Description: d.Description,
		Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
}

// ResourceBySlug returns the learning resource with the slug, or nil.
func (s *Store) ResourceBySlug(ctx context.Context, slug string) (*model.LearningResource, error) {
	return findOne(ctx, s.resources, "find resource by slug", bson.D{{Key: "slug", Value: slug}}, resourceDoc.model)
}

// ResourcesByIDs returns the learning resources with these ids.
func (s *Store) ResourcesByIDs(ctx context.Context, ids []string) ([]model.LearningResource, error) {
	return findAll(ctx, s.resources, "find resources by id", byIDs(ids), nil, resourceDoc.model)
}

// ListResources returns one page of the learning resources that pass the
// filter, by title.
func (s *Store) ListResources(ctx context.Context, f model.ResourceFilter, p model.PageRequest) (model.Page[model.LearningResource], error) {
	var conds bson.A
	if len(f.Kinds) > 0 {
		conds = append(conds, in("kind", f.Kinds))
	}
	if f.Free != nil {
		conds = append(conds, bson.D{{Key: "free", Value: *f.Free}})
	}
	if f.Text != "" {
		conds = append(conds, textCond(model.NewQuery(f.Text)))
	}
	sort := sortKey[resourceDoc]{field: "titleKey", cursor: func(d resourceDoc) model.Cursor {
		return model.Cursor{Key: d.TitleKey, ID: d.ID}
	}}
	return list(ctx, s.resources, "list resources", conds, sort, p, resourceDoc.model)
}
