package replica_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/editor"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// seeded returns a store with the shipped catalog and generated roles, and
// a replica of it.
func seeded(t *testing.T, generated int) (*store.Store, *replica.Replica) {
	t.Helper()
	s := storetest.Open(t)
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := catalog.Generate(base, generated, 3)
	if _, err := s.Seed(ctx, store.SeedData(*c)); err != nil {
		t.Fatal(err)
	}
	r, err := replica.Open(ctx, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// same compares two answers as JSON, which is what a client sees.
func same(t *testing.T, what string, fromStore, fromReplica any) {
	t.Helper()
	a, _ := json.Marshal(fromStore)
	b, _ := json.Marshal(fromReplica)
	if string(a) != string(b) {
		t.Errorf("%s: the replica answers differently from the store:\nstore   %.600s\nreplica %.600s", what, a, b)
	}
}

// TestSnapshotAnswersAsTheStore asks the store and a snapshot the same
// questions and compares the answers: every page of every order and filter,
// searches, and the batch reads.
func TestSnapshotAnswersAsTheStore(t *testing.T) {
	s, r := seeded(t, 40)
	snap := r.Current()
	tools, _ := s.ToolsBySlugs(ctx, []string{"git", "python"})
	free := true
	for name, f := range map[string]model.RoleFilter{
		"all":      {},
		"family":   {Families: []model.RoleFamily{model.FamilyData, model.FamilySecurity}},
		"tools":    {UsesTools: []string{tools[0].ID, tools[1].ID}},
		"text":     {Text: "back end"},
		"no match": {Text: ".*"},
	} {
		for _, o := range []model.RoleOrder{{Field: model.OrderByTitle, Direction: model.Asc}, {Field: model.OrderByTitle, Direction: model.Desc},
			{Field: model.OrderByUpdatedAt, Direction: model.Asc}, {Field: model.OrderByUpdatedAt, Direction: model.Desc}} {
			walk(t, name+" "+string(o.Field)+" "+string(o.Direction), func(p model.PageRequest) (model.Page[model.Role], error) {
				return s.ListRoles(ctx, f, o, p)
			}, func(p model.PageRequest) (model.Page[model.Role], error) { return snap.ListRoles(ctx, f, o, p) })
		}
	}
	walk(t, "tools", func(p model.PageRequest) (model.Page[model.Tool], error) {
		return s.ListTools(ctx, model.ToolFilter{Categories: []model.ToolCategory{model.CategoryDatabase}}, p)
	}, func(p model.PageRequest) (model.Page[model.Tool], error) {
		return snap.ListTools(ctx, model.ToolFilter{Categories: []model.ToolCategory{model.CategoryDatabase}}, p)
	})
	walk(t, "resources", func(p model.PageRequest) (model.Page[model.LearningResource], error) {
		return s.ListResources(ctx, model.ResourceFilter{Free: &free, Text: "sql"}, p)
	}, func(p model.PageRequest) (model.Page[model.LearningResource], error) {
		return snap.ListResources(ctx, model.ResourceFilter{Free: &free, Text: "sql"}, p)
	})
	for _, q := range []string{"backend", "data", "python", "security engineer", "senior payments", "$where", ""} {
		a, _ := s.Search(ctx, model.NewQuery(q), 25)
		b, _ := snap.Search(ctx, model.NewQuery(q), 25)
		same(t, "search "+q, a, b)
	}
	be, _ := s.RoleBySlug(ctx, "back-end-developer")
	a1, _ := s.RolesUsingTools(ctx, be.ToolIDs[:3])
	b1, _ := snap.RolesUsingTools(ctx, be.ToolIDs[:3])
	same(t, "roles using tools", a1, b1)
	a2, _ := s.RolesUsingResources(ctx, be.ResourceIDs)
	b2, _ := snap.RolesUsingResources(ctx, be.ResourceIDs)
	same(t, "roles using resources", a2, b2)
	a3, _ := s.RelationsOf(ctx, []string{be.ID})
	b3, _ := snap.RelationsOf(ctx, []string{be.ID})
	slices.SortFunc(a3, func(x, y model.Relation) int { return compare(x.ID, y.ID) })
	slices.SortFunc(b3, func(x, y model.Relation) int { return compare(x.ID, y.ID) })
	same(t, "relations", a3, b3)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// walk pages through a list from both readers, 20 at a time, comparing
// every page, and the totals on the first.
func walk[T any](t *testing.T, what string, fromStore, fromReplica func(model.PageRequest) (model.Page[T], error)) {
	t.Helper()
	p := model.PageRequest{First: 20}
	for pages := 0; pages < 100; pages++ {
		a, err := fromStore(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fromReplica(p)
		if err != nil {
			t.Fatal(err)
		}
		same(t, what+" items", a.Items, b.Items)
		same(t, what+" cursors", a.Cursors, b.Cursors)
		if pages == 0 {
			ta, _ := a.Total(ctx)
			tb, _ := b.Total(ctx)
			if ta != tb {
				t.Fatalf("%s: total %d from the store, %d from the replica", what, ta, tb)
			}
		}
		if a.HasNext != b.HasNext {
			t.Fatalf("%s: hasNext %v from the store, %v from the replica", what, a.HasNext, b.HasNext)
		}
		if !a.HasNext {
			return
		}
		p.After = &a.Cursors[len(a.Cursors)-1]
	}
}

// project writes every change the collections lack, as the projector
// does, so the store's own reads can be compared with a replica's.
func project(t *testing.T, s *store.Store) {
	t.Helper()
	from, err := s.ProjectedSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for seq := from + 1; ; seq++ {
		c, err := s.ChangeAt(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			return
		}
		if err := s.Project(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.SetProjectedSeq(ctx, seq); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCatchUpSeesEveryKindOfEdit edits through an editor on one replica,
// as one instance does, and checks that a second replica, after CatchUp,
// answers like the first, like the store's projections, and like a third
// replica loaded afresh from the projections and the log.
func TestCatchUpSeesEveryKindOfEdit(t *testing.T) {
	s, mine := seeded(t, 0)
	other, err := replica.Open(ctx, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	ed := editor.New(s, mine, slog.New(slog.DiscardHandler))
	as := model.WithViewer(ctx, &model.Viewer{Name: "test", Scopes: model.Scopes})
	in := model.RoleInput{Slug: "replica-role", Title: "Replica Role", Family: model.FamilyData, Tagline: "t", Description: "Keeps copies in step.",
		Skills: []string{"s"}, Responsibilities: []string{"r"}, ToolSlugs: []string{"git"}, Advantages: []string{"a"},
		Disadvantages: []string{"d"}, GoodFit: "g", LearningResourceSlugs: []string{"sqlbolt"}}
	role, err := ed.CreateRole(as, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		second(ed.RelateRoles(as, model.RelationInput{From: "replica-role", To: "back-end-developer", Kind: model.RelationNextStep})),
		second(ed.RelateRoles(as, model.RelationInput{From: "replica-role", To: "data-analyst", Kind: model.RelationOverlapsWith})),
		second(ed.UnrelateRoles(as, "replica-role", "data-analyst")),
		ed.DeleteTool(as, mine.Current().ToolWithSlug("git").ID, true),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := other.Current().RoleBySlug(ctx, "replica-role"); got != nil {
		t.Fatal("the other replica saw the edit before catching up")
	}
	if err := other.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	project(t, s)
	fresh, err := replica.Open(ctx, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	snap := other.Current()
	got, _ := snap.RoleBySlug(ctx, "replica-role")
	fromStore, _ := s.RoleBySlug(ctx, "replica-role")
	fromMine, _ := mine.Current().RoleBySlug(ctx, "replica-role")
	fromFresh, _ := fresh.Current().RoleBySlug(ctx, "replica-role")
	same(t, "new role, store", fromStore, got)
	same(t, "new role, editing replica", fromMine, got)
	same(t, "new role, fresh replica", fromFresh, got)
	if got == nil || got.ID != role.ID || got.Version != 5 || len(got.ToolIDs) != 0 {
		t.Errorf("the replica has %+v", got)
	}
	if tool, _ := snap.ToolBySlug(ctx, "git"); tool != nil {
		t.Error("the replica still has the deleted tool")
	}
	a, _ := s.RelationsOf(ctx, []string{role.ID})
	b, _ := snap.RelationsOf(ctx, []string{role.ID})
	same(t, "relations", a, b)
	if len(b) != 1 {
		t.Errorf("the replica has %d relations of the new role, want the one left after unrelating", len(b))
	}
	// One word from the title, one from the description: both readers
	// find the role, by filter and by search.
	split := model.RoleFilter{Text: "replica copies"}
	byStore, _ := s.ListRoles(ctx, split, model.RoleOrder{Field: model.OrderByTitle}, model.PageRequest{First: 5})
	bySnap, _ := snap.ListRoles(ctx, split, model.RoleOrder{Field: model.OrderByTitle}, model.PageRequest{First: 5})
	same(t, "text filter", byStore.Items, bySnap.Items)
	if len(bySnap.Items) != 1 {
		t.Errorf("the text filter %q found %d roles, want the new one", split.Text, len(bySnap.Items))
	}
	hitsStore, _ := s.Search(ctx, model.NewQuery(split.Text), 5)
	hitsSnap, _ := snap.Search(ctx, model.NewQuery(split.Text), 5)
	same(t, "search", hitsStore, hitsSnap)
	if len(hitsSnap) != 1 {
		t.Errorf("searching %q found %d hits, want the new role", split.Text, len(hitsSnap))
	}
	be, _ := s.RoleBySlug(ctx, "back-end-developer")
	beSnap, _ := snap.RoleBySlug(ctx, "back-end-developer")
	same(t, "back-end-developer", be, beSnap)

	if err := ed.DeleteRole(as, role.ID); err != nil {
		t.Fatal(err)
	}
	if err := other.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := other.Current().RoleBySlug(ctx, "replica-role"); got != nil {
		t.Error("the replica still has the deleted role")
	}
	if rels, _ := other.Current().RelationsOf(ctx, []string{role.ID}); len(rels) != 0 {
		t.Errorf("the replica still has %d relations of the deleted role", len(rels))
	}
}

// second returns a call's error, for a list of calls that must all succeed.
func second[T any](_ T, err error) error { return err }

// TestFollowNoticesEditsFromElsewhere edits through a second connection to
// the store, as another instance would, and waits for the replica to follow.
func TestFollowNoticesEditsFromElsewhere(t *testing.T) {
	s, r := seeded(t, 0)
	followCtx, stop := context.WithCancel(ctx)
	defer stop()
	go r.Follow(followCtx, 50*time.Millisecond)
	// Another instance edits: its own replica and editor on the same store.
	elsewhere, err := replica.Open(ctx, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	as := model.WithViewer(ctx, &model.Viewer{Name: "test", Scopes: model.Scopes})
	tool, err := editor.New(s, elsewhere, slog.New(slog.DiscardHandler)).CreateTool(as, model.ToolInput{Slug: "zig", Name: "Zig", Category: model.CategoryProgrammingLanguage})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if got, _ := r.Current().ToolBySlug(ctx, "zig"); got != nil && got.ID == tool.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the replica did not follow the edit within 5 seconds")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r.Age() > time.Second {
		t.Errorf("age %v after following", r.Age())
	}
}

// TestSearchKeepsWhatRankingEverythingWould checks that a snapshot's
// search, which stops reading text once it has enough hits, returns what
// ranking every entry and sorting the hits returns: for common words,
// titles, prefixes, words found nowhere, and every page size.
func TestSearchKeepsWhatRankingEverythingWould(t *testing.T) {
	const generated = 300
	_, r := seeded(t, generated)
	snap := r.Current()
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := catalog.Generate(base, generated, 3)
	label := func(hits []model.SearchHit) []string {
		out := []string{}
		for _, h := range hits {
			switch {
			case h.Role != nil:
				out = append(out, fmt.Sprintf("%d role %s", h.Rank, h.Role.Slug))
			case h.Tool != nil:
				out = append(out, fmt.Sprintf("%d tool %s", h.Rank, h.Tool.Slug))
			default:
				out = append(out, fmt.Sprintf("%d resource %s", h.Rank, h.Resource.Slug))
			}
		}
		return out
	}
	for _, text := range []string{"data", "d", "engineer", "back end", "backend", "python", "sql", "senior payments", "security engineer",
		"go", "developer tools", "zzqx", "c", "design", "kubernetes", "machine learning", "a b"} {
		q := model.NewQuery(text)
		var all []model.SearchHit
		for i := range c.Roles {
			if rank, ok := q.Rank(model.RoleSearchKey(&c.Roles[i])); ok {
				all = append(all, model.SearchHit{Rank: rank, Role: &c.Roles[i]})
			}
		}
		for i := range c.Tools {
			if rank, ok := q.Rank(model.ToolSearchKey(&c.Tools[i])); ok {
				all = append(all, model.SearchHit{Rank: rank, Tool: &c.Tools[i]})
			}
		}
		for i := range c.Resources {
			if rank, ok := q.Rank(model.ResourceSearchKey(&c.Resources[i])); ok {
				all = append(all, model.SearchHit{Rank: rank, Resource: &c.Resources[i]})
			}
		}
		model.SortHits(all)
		for _, first := range []int{1, 2, 5, 25, 100} {
			got, err := snap.Search(ctx, q, first)
			if err != nil {
				t.Fatal(err)
			}
			want := all[:min(first, len(all))]
			if g, w := label(got), label(want); !slices.Equal(g, w) {
				t.Errorf("search %q, first %d:\ngot  %q\nwant %q", text, first, g, w)
			}
		}
	}
}

// silentSource is a store whose change log stops answering once silent is
// set, until released: a store that went away.
type silentSource struct {
	*store.Store
	silent   atomic.Bool
	asked    chan struct{} // told of each read made while silent
	released chan struct{}
}

func (s *silentSource) ChangeAt(ctx context.Context, seq int64) (*model.Change, error) {
	if s.silent.Load() {
		s.asked <- struct{}{}
		<-s.released
		return nil, errors.New("the store went away")
	}
	return s.Store.ChangeAt(ctx, seq)
}

// TestEditsDoNotWaitForASilentStore holds the replica's follower in a read
// of a store that no longer answers, and commits an edit meanwhile: the
// edit is applied at once, not after the follower gives up (an editor
// holds its instance's turn while it applies).
func TestEditsDoNotWaitForASilentStore(t *testing.T) {
	s, _ := seeded(t, 0)
	src := &silentSource{Store: s, asked: make(chan struct{}, 1), released: make(chan struct{})}
	r, err := replica.Open(ctx, src, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer close(src.released)
	src.silent.Store(true)
	go func() { _ = r.CatchUp(ctx) }()
	<-src.asked // the follower waits on the store
	as := model.WithViewer(ctx, &model.Viewer{Name: "test", Scopes: model.Scopes})
	made := make(chan error, 1)
	go func() {
		_, err := editor.New(s, r, slog.New(slog.DiscardHandler)).CreateTool(as,
			model.ToolInput{Slug: "zig", Name: "Zig", Category: model.CategoryProgrammingLanguage})
		made <- err
	}()
	select {
	case err := <-made:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the edit waited for the follower's read of a silent store")
	}
	if got, _ := r.Current().ToolBySlug(ctx, "zig"); got == nil {
		t.Error("the edit is not in the replica")
	}
}
