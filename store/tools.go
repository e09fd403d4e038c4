package store

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

// toolDoc is a tool as the tools collection keeps it.
type toolDoc struct {
	ID          string    `bson:"_id"`
	Slug        string    `bson:"slug"`
	Name        string    `bson:"name"`
	NameKey     string    `bson:"nameKey"` // lowercase name, the sort key
	Category    string    `bson:"category"`
	Description string    `bson:"description"`
	URL         string    `bson:"url"`
	SearchTerms string    `bson:"searchTerms"`
	Version     int       `bson:"version"`
	CreatedAt   time.Time `bson:"createdAt"`
	UpdatedAt   time.Time `bson:"updatedAt"`
	// Seq is the number of the change that last wrote the document (0 when
	// it was seeded), so that a reader with mongosh can find it in the log.
	Seq int64 `bson:"seq"`
}

func toToolDoc(t *model.Tool) toolDoc {
	return toolDoc{
		ID: t.ID, Slug: t.Slug, Name: t.Name, NameKey: strings.ToLower(t.Name),
		Category: string(t.Category), Description: t.Description, URL: t.URL,
		SearchTerms: searchTerms(model.ToolSearchKey(t)),
		Version:     t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
}

func (d toolDoc) model() model.Tool {
	return model.Tool{
		ID: d.ID, Slug: d.Slug, Name: d.Name, Category: model.ToolCategory(d.Category),
		Description: d.Description, URL: d.URL, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
}

// ToolBySlug returns the tool with the slug, or nil when there is none.
func (s *Store) ToolBySlug(ctx context.Context, slug string) (*model.Tool, error) {
	return findOne(ctx, s.tools, "find tool by slug", bson.D{{Key: "slug", Value: slug}}, toolDoc.model)
}

// ToolsBySlugs returns the tools with these slugs; unknown slugs are left out.
func (s *Store) ToolsBySlugs(ctx context.Context, slugs []string) ([]model.Tool, error) {
	return findAll(ctx, s.tools, "find tools by slug", in("slug", slugs), nil, toolDoc.model)
}

// ToolsByIDs returns the tools with these ids, in no particular order.
func (s *Store) ToolsByIDs(ctx context.Context, ids []string) ([]model.Tool, error) {
	return findAll(ctx, s.tools, "find tools by id", byIDs(ids), nil, toolDoc.model)
}

// ListTools returns one page of the tools that pass the filter, by name.
func (s *Store) ListTools(ctx context.Context, f model.ToolFilter, p model.PageRequest) (model.Page[model.Tool], error) {
	var conds bson.A
	if len(f.Categories) > 0 {
		conds = append(conds, in("category", f.Categories))
	}
	if f.Text != "" {
		conds = append(conds, textCond(model.NewQuery(f.Text)))
	}
	sort := sortKey[toolDoc]{field: "nameKey", cursor: func(d toolDoc) model.Cursor {
		return model.Cursor{Key: d.NameKey, ID: d.ID}
	}}
	return list(ctx, s.tools, "list tools", conds, sort, p, toolDoc.model)
}
