package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// fixture is a small catalog: four roles, three tools, two resources.
func fixture() store.SeedData {
	tool := func(id, slug, name string, c model.ToolCategory) model.Tool {
		return model.Tool{ID: id, Slug: slug, Name: name, Category: c, Description: name + " tool", Version: 1}
	}
	role := func(id, slug, title string, f model.RoleFamily, tools, res []string) model.Role {
		return model.Role{ID: id, Slug: slug, Title: title, Family: f, Tagline: "The " + title,
			Description: "Works on " + title + " things.", Skills: []string{"Thinking"},
			Responsibilities: []string{"Doing"}, ToolIDs: tools, ResourceIDs: res,
			Advantages: []string{"Fun"}, Disadvantages: []string{"Hard"}, GoodFit: "Maybe.", Version: 1}
	}
	return store.SeedData{
		Tools: []model.Tool{
			tool("t-go", "go", "Go", model.CategoryProgrammingLanguage),
			tool("t-git", "git", "Git", model.CategoryDevelopmentTool),
			tool("t-sql", "sql", "SQL", model.CategoryProgrammingLanguage),
		},
		Resources: []model.LearningResource{
			{ID: "r-tour", Slug: "tour", Title: "A Tour of Go", Provider: "Go", URL: "https://go.dev/tour", Kind: model.ResourceTutorial, Free: true, Description: "Learn Go", Version: 1},
			{ID: "r-bolt", Slug: "sqlbolt", Title: "SQLBolt", Provider: "SQLBolt", URL: "https://sqlbolt.com/", Kind: model.ResourceTutorial, Free: true, Description: "Learn SQL", Version: 1},
		},
		Roles: []model.Role{
			role("a-back", "back-end-developer", "Back-End Developer", model.FamilyEngineering, []string{"t-go", "t-git", "t-sql"}, []string{"r-tour", "r-bolt"}),
			role("b-front", "front-end-developer", "Front-End Developer", model.FamilyEngineering, []string{"t-git"}, nil),
			role("c-data", "data-analyst", "Data Analyst", model.FamilyData, []string{"t-sql"}, []string{"r-bolt"}),
			role("d-arch", "software-architect", "Software Architect", model.FamilyEngineering, []string{"t-go", "t-git"}, nil),
		},
		Relations: []model.Relation{
			{ID: "rel1", FromID: "a-back", ToID: "b-front", Kind: model.RelationCollaboratesWith, Note: "APIs"},
			{ID: "rel2", FromID: "a-back", ToID: "d-arch", Kind: model.RelationNextStep, Note: "Grow"},
		},
	}
}

func seeded(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.Open(t)
	if ok, err := s.Seed(ctx, fixture()); err != nil || !ok {
		t.Fatalf("Seed = %v, %v; want true, nil", ok, err)
	}
	return s
}

func TestSeedTwiceChangesNothing(t *testing.T) {
	s := seeded(t)
	before, _ := s.RoleBySlug(ctx, "back-end-developer")
	if ok, err := s.Seed(ctx, fixture()); err != nil || ok {
		t.Fatalf("second Seed = %v, %v; want false, nil", ok, err)
	}
	after, _ := s.RoleBySlug(ctx, "back-end-developer")
	if n, _ := s.CountRoles(ctx); n != 4 || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("after a second seed: %d roles, updated %v (was %v)", n, after.UpdatedAt, before.UpdatedAt)
	}
}

func TestRoleBySlug(t *testing.T) {
	s := seeded(t)
	r, err := s.RoleBySlug(ctx, "back-end-developer")
	if err != nil || r == nil || r.Title != "Back-End Developer" || !slices.Equal(r.ToolIDs, []string{"t-go", "t-git", "t-sql"}) || r.Version != 1 || r.CreatedAt.IsZero() {
		t.Fatalf("RoleBySlug = %+v, %v", r, err)
	}
	if r, err := s.RoleBySlug(ctx, "nobody"); r != nil || err != nil {
		t.Errorf("unknown slug = %v, %v; want nil, nil", r, err)
	}
	if r, err := s.RoleBySlug(ctx, `{"$gt":""}`); r != nil || err != nil {
		t.Errorf("operator-shaped slug = %v, %v; want nil, nil", r, err)
	}
}

func TestBatchReads(t *testing.T) {
	s := seeded(t)
	roles, err := s.RolesByIDs(ctx, []string{"c-data", "nope", "a-back"})
	if err != nil || len(roles) != 2 {
		t.Fatalf("RolesByIDs = %d roles, %v; want 2", len(roles), err)
	}
	using, err := s.RolesUsingTools(ctx, []string{"t-go", "t-sql"})
	if got := slugs(using); err != nil || !slices.Equal(got, []string{"back-end-developer", "data-analyst", "software-architect"}) {
		t.Errorf("RolesUsingTools = %v, %v", got, err)
	}
	byRes, err := s.RolesUsingResources(ctx, []string{"r-bolt"})
	if got := slugs(byRes); err != nil || !slices.Equal(got, []string{"back-end-developer", "data-analyst"}) {
		t.Errorf("RolesUsingResources = %v, %v", got, err)
	}
	rels, err := s.RelationsOf(ctx, []string{"b-front", "d-arch"})
	if err != nil || len(rels) != 2 {
		t.Errorf("RelationsOf = %v, %v; want both relations", rels, err)
	}
	if empty, err := s.ToolsByIDs(ctx, nil); err != nil || len(empty) != 0 {
		t.Errorf("ToolsByIDs(nil) = %v, %v", empty, err)
	}
}

func TestListRolesWalksEveryRoleOnce(t *testing.T) {
	s := seeded(t)
	for _, o := range []model.RoleOrder{
		{Field: model.OrderByTitle, Direction: model.Asc},
		{Field: model.OrderByTitle, Direction: model.Desc},
		{Field: model.OrderByUpdatedAt, Direction: model.Asc},
	} {
		var seen []string
		p := model.PageRequest{First: 1}
		for {
			page, err := s.ListRoles(ctx, model.RoleFilter{}, o, p)
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, slugs(page.Items)...)
			if !page.HasNext {
				break
			}
			p.After = &page.Cursors[len(page.Cursors)-1]
		}
		want := []string{"back-end-developer", "data-analyst", "front-end-developer", "software-architect"}
		if o.Field == model.OrderByUpdatedAt {
			// Seeded together, so equal times: ties go by id.
			want = []string{"back-end-developer", "front-end-developer", "data-analyst", "software-architect"}
		}
		if o.Direction == model.Desc {
			slices.Reverse(want)
		}
		if !slices.Equal(seen, want) {
			t.Errorf("%v: walked %v, want %v", o, seen, want)
		}
	}
}

func TestListRolesFilters(t *testing.T) {
	s := seeded(t)
	for _, tc := range []struct {
		name   string
		filter model.RoleFilter
		want   []string
	}{
		{"family", model.RoleFilter{Families: []model.RoleFamily{model.FamilyData}}, []string{"data-analyst"}},
		{"all tools", model.RoleFilter{UsesTools: []string{"t-go", "t-git"}}, []string{"back-end-developer", "software-architect"}},
		{"tools and family", model.RoleFilter{UsesTools: []string{"t-sql"}, Families: []model.RoleFamily{model.FamilyEngineering}}, []string{"back-end-developer"}},
		{"text title", model.RoleFilter{Text: "backend"}, []string{"back-end-developer"}},
		{"text body", model.RoleFilter{Text: "things"}, []string{"back-end-developer", "data-analyst", "front-end-developer", "software-architect"}},
		{"text regex", model.RoleFilter{Text: ".*"}, nil},
		{"text operator", model.RoleFilter{Text: `{"$gt": ""}`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.ListRoles(ctx, tc.filter, model.RoleOrder{Field: model.OrderByTitle}, model.PageRequest{First: 10})
			if err != nil {
				t.Fatal(err)
			}
			total, err := page.Total(ctx)
			if got := slugs(page.Items); !slices.Equal(got, tc.want) || err != nil || total != len(tc.want) {
				t.Errorf("got %v (total %d, %v), want %v", got, total, err, tc.want)
			}
		})
	}
}

func TestListToolsAndResources(t *testing.T) {
	s := seeded(t)
	tools, err := s.ListTools(ctx, model.ToolFilter{Categories: []model.ToolCategory{model.CategoryProgrammingLanguage}}, model.PageRequest{First: 1})
	if err != nil || len(tools.Items) != 1 || tools.Items[0].Slug != "go" || !tools.HasNext {
		t.Fatalf("ListTools = %+v, %v", tools, err)
	}
	next, err := s.ListTools(ctx, model.ToolFilter{Categories: []model.ToolCategory{model.CategoryProgrammingLanguage}}, model.PageRequest{First: 1, After: &tools.Cursors[0]})
	if err != nil || len(next.Items) != 1 || next.Items[0].Slug != "sql" || next.HasNext {
		t.Errorf("second page = %+v, %v", next, err)
	}
	free := true
	res, err := s.ListResources(ctx, model.ResourceFilter{Free: &free, Kinds: []model.ResourceKind{model.ResourceTutorial}}, model.PageRequest{First: 10})
	if err != nil || len(res.Items) != 2 || res.Items[0].Title != "A Tour of Go" {
		t.Errorf("ListResources = %+v, %v", res, err)
	}
}

func TestSearchRanks(t *testing.T) {
	s := seeded(t)
	hits, err := s.Search(ctx, model.NewQuery("sql"), 10)
	if err != nil {
		t.Fatal(err)
	}
	// The tool named SQL first, then SQLBolt (a title prefix); the roles
	// that only mention it are not found, since "sql" is not in their text.
	var got []string
	for _, h := range hits {
		got = append(got, h.Title())
	}
	if want := []string{"SQL", "SQLBolt"}; !slices.Equal(got, want) {
		t.Errorf("search sql = %v, want %v", got, want)
	}
	for _, q := range []string{"Back-End", "back end", "backend"} {
		hits, err := s.Search(ctx, model.NewQuery(q), 1)
		if err != nil || len(hits) != 1 || hits[0].Role == nil || hits[0].Role.Slug != "back-end-developer" {
			t.Errorf("search %q = %v, %v", q, hits, err)
		}
	}
	for _, q := range []string{".*", "(", "$where", `{"$gt":""}`} {
		if hits, err := s.Search(ctx, model.NewQuery(q), 10); err != nil || len(hits) != 0 {
			t.Errorf("search %q = %d hits, %v; want none", q, len(hits), err)
		}
	}
}

func TestBadCursorIsBadInput(t *testing.T) {
	s := seeded(t)
	_, err := s.ListRoles(ctx, model.RoleFilter{}, model.RoleOrder{Field: model.OrderByUpdatedAt},
		model.PageRequest{First: 1, After: &model.Cursor{Key: "not a time", ID: "x"}})
	if model.ErrorCodeOf(err) != model.CodeBadUserInput {
		t.Errorf("err = %v, want BAD_USER_INPUT", err)
	}
}

func slugs(roles []model.Role) []string {
	var out []string
	for _, r := range roles {
		out = append(out, r.Slug)
	}
	return out
}

// TestEnsureIndexesTwice is what every restart does. It runs against
// FerretDB's createIndexes bug (see EnsureIndexes) as well as MongoDB.
func TestEnsureIndexesTwice(t *testing.T) {
	s := seeded(t)
	for range 2 {
		if err := s.EnsureIndexes(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RoleBySlug(ctx, "back-end-developer"); err != nil {
		t.Fatal(err)
	}
}
