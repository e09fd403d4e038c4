package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/finder-platform/finder/model"
)

// The helpers edits use to follow links between documents by slug and id.

type slugDoc struct {
	ID   string `bson:"_id"`
	Slug string `bson:"slug"`
}

// slugIndex reads the slugs and ids of the documents whose field (_id or
// slug) is one of values.
func slugIndex(ctx context.Context, c *mongo.Collection, field string, values []string) ([]slugDoc, error) {
	cur, err := c.Find(ctx, in(field, values), options.Find().SetProjection(bson.D{{Key: "slug", Value: 1}}).SetBatchSize(batchSize))
	if err != nil {
		return nil, wrap("read slugs of "+c.Name(), err)
	}
	var docs []slugDoc
	return docs, wrap("read slugs of "+c.Name(), cur.All(ctx, &docs))
}

// idsOf resolves slugs to ids, in order. An unknown slug is BAD_USER_INPUT
// naming its place in the input.
func idsOf(ctx context.Context, c *mongo.Collection, field, what string, slugs []string) ([]string, error) {
	if len(slugs) == 0 {
		return []string{}, nil
	}
	docs, err := slugIndex(ctx, c, "slug", slugs)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, d := range docs {
		ids[d.Slug] = d.ID
	}
	out := make([]string, len(slugs))
	var errs model.Errors
	for i, s := range slugs {
		if out[i] = ids[s]; out[i] == "" {
			errs = append(errs, model.FieldErrorf(fmt.Sprintf("%s[%d]", field, i), "no %s has %s", what, model.SlugPhrase(s)))
		}
	}
	if errs != nil {
		return nil, errs
	}
	return out, nil
}

// slugsOf returns the slugs of the documents with these ids, in order,
// leaving out ids whose document is gone.
func slugsOf(ctx context.Context, c *mongo.Collection, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return []string{}, nil
	}
	docs, err := slugIndex(ctx, c, "_id", ids)
	if err != nil {
		return nil, err
	}
	slugs := map[string]string{}
	for _, d := range docs {
		slugs[d.ID] = d.Slug
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if s := slugs[id]; s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// relatedLists returns, for each role, its links as history shows them:
// "KIND other-slug", sorted.
func (s *Store) relatedLists(ctx context.Context, roleIDs []string, rels []model.Relation) (map[string][]string, error) {
	var others []string
	for _, r := range rels {
		others = append(others, r.FromID, r.ToID)
	}
	docs, err := slugIndex(ctx, s.roles, "_id", others)
	if err != nil {
		return nil, err
	}
	slugs := map[string]string{}
	for _, d := range docs {
		slugs[d.ID] = d.Slug
	}
	out := map[string][]string{}
	for _, id := range roleIDs {
		list := []string{}
		for _, r := range rels {
			if rr, ok := model.RelationFrom(r, id); ok && slugs[rr.RoleID] != "" {
				list = append(list, string(rr.Kind)+" "+slugs[rr.RoleID])
			}
		}
		slices.Sort(list)
		out[id] = list
	}
	return out, nil
}

// roleFields is a stored role as history shows it, with its links by slug.
func (s *Store) roleFields(ctx context.Context, d roleDoc, related []string) (map[string]any, error) {
	tools, err := slugsOf(ctx, s.tools, d.ToolIDs)
	if err != nil {
		return nil, err
	}
	resources, err := slugsOf(ctx, s.resources, d.ResourceIDs)
	if err != nil {
		return nil, err
	}
	r := d.model()
	return inputOf(&r, tools, resources).Fields(related), nil
}

// inputOf writes a role back as the input that would create it.
func inputOf(r *model.Role, toolSlugs, resourceSlugs []string) model.RoleInput {
	return model.RoleInput{Slug: r.Slug, Title: r.Title, Family: r.Family, Tagline: r.Tagline,
		Description: r.Description, Skills: r.Skills, Responsibilities: r.Responsibilities,
		ToolSlugs: toolSlugs, Advantages: r.Advantages, Disadvantages: r.Disadvantages,
		GoodFit: r.GoodFit, Conclusion: r.Conclusion, Salary: r.Salary, LearningResourceSlugs: resourceSlugs}
}

// bumped returns a role document after a change to its links: one version
// more, updated now, tagged with the edit.
func bumped(d roleDoc, e *edit) roleDoc {
	d.Version++
	d.UpdatedAt = e.at
	d.LastChange = e.id
	return d
}

// describe lists up to five slugs for a message.
func describe(slugs []string) string {
	if len(slugs) > 5 {
		return strings.Join(slugs[:5], ", ") + fmt.Sprintf(" and %d more", len(slugs)-5)
	}
	return strings.Join(slugs, ", ")
}
