package store

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

// roleDoc is a role as the roles collection keeps it. Links to tools and
// learning resources are their ids; relations to other roles live in the
// relations collection.
type roleDoc struct {
	ID               string          `bson:"_id"`
	Slug             string          `bson:"slug"`
	Title            string          `bson:"title"`
	TitleKey         string          `bson:"titleKey"` // lowercase title, the sort key
	Family           string          `bson:"family"`
	Tagline          string          `bson:"tagline"`
	Description      string          `bson:"description"`
	Skills           []string        `bson:"skills"`
	Responsibilities []string        `bson:"responsibilities"`
	ToolIDs          []string        `bson:"toolIds"`
	Advantages       []string        `bson:"advantages"`
	Disadvantages    []string        `bson:"disadvantages"`
	GoodFit          string          `bson:"goodFit"`
	Conclusion       string          `bson:"conclusion"`
	Salary           *salaryDoc      `bson:"salary"`
	ResourceIDs      []string        `bson:"resourceIds"`
	Occupations      []occupationDoc `bson:"occupations"`
	OccupationCodes  []string        `bson:"occupationCodes"` // every code, for a filter that uses the index
	Sources          []sourceDoc     `bson:"sources"`
	ReviewedOn       string          `bson:"reviewedOn"`
	SearchTerms      string          `bson:"searchTerms"`
	Version          int             `bson:"version"`
	CreatedAt        time.Time       `bson:"createdAt"`
	UpdatedAt        time.Time       `bson:"updatedAt"`
	// Seq is the number of the change that last wrote the document (0 when
	// it was seeded), so that a reader with mongosh can find it in the log.
	Seq int64 `bson:"seq"`
}

type occupationDoc struct {
	System string `bson:"system"`
	Code   string `bson:"code"`
	Title  string `bson:"title"`
	Match  string `bson:"match"`
	URL    string `bson:"url"`
}

type sourceDoc struct {
	Title     string `bson:"title"`
	Publisher string `bson:"publisher"`
	URL       string `bson:"url"`
	Accessed  string `bson:"accessed"`
}

// salaryDoc keeps amounts as integers: FerretDB cannot carry Decimal128.
type salaryDoc struct {
	Currency  string `bson:"currency"`
	Period    string `bson:"period"`
	Min       *int   `bson:"min"`
	Median    int    `bson:"median"`
	Max       *int   `bson:"max"`
	Region    string `bson:"region"`
	Basis     string `bson:"basis"`
	Proxy     bool   `bson:"proxy"`
	Source    string `bson:"source"`
	SourceURL string `bson:"sourceUrl"`
	Year      int    `bson:"year"`
}

func toRoleDoc(r *model.Role) roleDoc {
	d := roleDoc{
		ID: r.ID, Slug: r.Slug, Title: r.Title, TitleKey: strings.ToLower(r.Title),
		Family: string(r.Family), Tagline: r.Tagline, Description: r.Description,
		Skills: r.Skills, Responsibilities: r.Responsibilities, ToolIDs: r.ToolIDs,
		Advantages: r.Advantages, Disadvantages: r.Disadvantages, GoodFit: r.GoodFit,
		Conclusion: r.Conclusion, ResourceIDs: r.ResourceIDs,
		SearchTerms: searchTerms(model.RoleSearchKey(r)), ReviewedOn: string(r.ReviewedOn),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Occupations: []occupationDoc{}, OccupationCodes: []string{}, Sources: []sourceDoc{},
	}
	for _, o := range r.Occupations {
		d.Occupations = append(d.Occupations, occupationDoc{System: string(o.System), Code: o.Code, Title: o.Title, Match: string(o.Match), URL: o.URL})
		d.OccupationCodes = append(d.OccupationCodes, o.Code)
	}
	for _, s := range r.Sources {
		d.Sources = append(d.Sources, sourceDoc{Title: s.Title, Publisher: s.Publisher, URL: s.URL, Accessed: string(s.Accessed)})
	}
	if s := r.Salary; s != nil {
		d.Salary = &salaryDoc{Currency: s.Currency, Period: string(s.Period), Min: s.Min,
			Median: s.Median, Max: s.Max, Region: s.Region, Basis: s.Basis, Proxy: s.Proxy, Source: s.Source,
			SourceURL: s.SourceURL, Year: s.Year}
	}
	return d
}

func (d roleDoc) model() model.Role {
	r := model.Role{
		ID: d.ID, Slug: d.Slug, Title: d.Title, Family: model.RoleFamily(d.Family),
		Tagline: d.Tagline, Description: d.Description, Skills: d.Skills,
		Responsibilities: d.Responsibilities, ToolIDs: d.ToolIDs,
		Advantages: d.Advantages, Disadvantages: d.Disadvantages, GoodFit: d.GoodFit,
		Conclusion: d.Conclusion, ResourceIDs: d.ResourceIDs, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, ReviewedOn: model.Date(d.ReviewedOn),
	}
	for _, o := range d.Occupations {
		r.Occupations = append(r.Occupations, model.OccupationMatch{System: model.OccupationSystem(o.System), Code: o.Code,
			Title: o.Title, Match: model.OccupationMatchKind(o.Match), URL: o.URL})
	}
	for _, s := range d.Sources {
		r.Sources = append(r.Sources, model.Source{Title: s.Title, Publisher: s.Publisher, URL: s.URL, Accessed: model.Date(s.Accessed)})
	}
	if s := d.Salary; s != nil {
		r.Salary = &model.Salary{Currency: s.Currency, Period: model.SalaryPeriod(s.Period),
			Min: s.Min, Median: s.Median, Max: s.Max, Region: s.Region, Basis: s.Basis, Proxy: s.Proxy,
			Source: s.Source, SourceURL: s.SourceURL, Year: s.Year}
	}
	return r
}

// RoleBySlug returns the role with the slug, or nil when there is none.
func (s *Store) RoleBySlug(ctx context.Context, slug string) (*model.Role, error) {
	return findOne(ctx, s.roles, "find role by slug", bson.D{{Key: "slug", Value: slug}}, roleDoc.model)
}

// RolesByIDs returns the roles with these ids, in no particular order;
// ids with no role are left out.
func (s *Store) RolesByIDs(ctx context.Context, ids []string) ([]model.Role, error) {
	return findAll(ctx, s.roles, "find roles by id", byIDs(ids), nil, roleDoc.model)
}

// RolesUsingTools returns, in title order, the roles that list any of the tools.
func (s *Store) RolesUsingTools(ctx context.Context, toolIDs []string) ([]model.Role, error) {
	return findAll(ctx, s.roles, "find roles by tool", in("toolIds", toolIDs), byTitle, roleDoc.model)
}

// RolesUsingResources returns, in title order, the roles that list any of
// the learning resources.
func (s *Store) RolesUsingResources(ctx context.Context, resourceIDs []string) ([]model.Role, error) {
	return findAll(ctx, s.roles, "find roles by resource", in("resourceIds", resourceIDs), byTitle, roleDoc.model)
}

// ListRoles returns one page of the roles that pass the filter.
func (s *Store) ListRoles(ctx context.Context, f model.RoleFilter, o model.RoleOrder, p model.PageRequest) (model.Page[model.Role], error) {
	var conds bson.A
	if len(f.Families) > 0 {
		conds = append(conds, in("family", f.Families))
	}
	for _, id := range f.UsesTools {
		// An array field equals a scalar when it contains it.
		conds = append(conds, bson.D{{Key: "toolIds", Value: id}})
	}
	if f.Text != "" {
		conds = append(conds, textCond(model.NewQuery(f.Text)))
	}
	if len(f.OccupationCodes) > 0 {
		conds = append(conds, in("occupationCodes", f.OccupationCodes))
	}
	sort := sortKey[roleDoc]{field: "titleKey", cursor: func(d roleDoc) model.Cursor {
		return model.Cursor{Key: d.TitleKey, ID: d.ID}
	}}
	if o.Field == model.OrderByUpdatedAt {
		sort = sortKey[roleDoc]{field: "updatedAt", isTime: true, cursor: func(d roleDoc) model.Cursor {
			return model.Cursor{Key: model.TimeKey(d.UpdatedAt), ID: d.ID}
		}}
	}
	sort.desc = o.Direction == model.Desc
	return list(ctx, s.roles, "list roles", conds, sort, p, roleDoc.model)
}

var byTitle = bson.D{{Key: "titleKey", Value: 1}, {Key: "_id", Value: 1}}

// CountRoles returns how many roles there are.
func (s *Store) CountRoles(ctx context.Context) (int, error) {
	n, err := s.roles.CountDocuments(ctx, bson.D{})
	return int(n), wrap("count roles", err)
}

// ToolUsage counts the roles that list each tool, in the database: one
// aggregation, whatever the catalog's size, and only the counts come back.
func (s *Store) ToolUsage(ctx context.Context) ([]model.ToolCount, error) {
	cur, err := s.roles.Aggregate(ctx, bson.A{
		bson.D{{Key: "$unwind", Value: "$toolIds"}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$toolIds"}, {Key: "roles", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, wrap("count tool usage", err)
	}
	var rows []struct {
		ID    string `bson:"_id"`
		Roles int    `bson:"roles"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, wrap("count tool usage", err)
	}
	out := make([]model.ToolCount, len(rows))
	for i, r := range rows {
		out[i] = model.ToolCount{ToolID: r.ID, Roles: r.Roles}
	}
	return out, nil
}
