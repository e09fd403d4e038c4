package insights_test

import (
	"cmp"
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/insights"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// world is the shipped catalog plus a role with no links, in a store and
// in a snapshot, and the brute-force views of it.
type world struct {
	store    *store.Store
	snap     *replica.Snapshot
	roles    map[string]*model.Role // by id
	bySlug   map[string]*model.Role
	tools    map[string]*model.Tool
	adjacent map[string][]model.RoleRelation // by role id, both directions
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := storetest.Open(t)
	c, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	lonely := c.Roles[0]
	lonely.ID, lonely.Slug, lonely.Title = catalog.ID("role", "lonely-role"), "lonely-role", "Lonely Role"
	c.Roles = append(c.Roles, lonely)
	if _, err := s.Seed(ctx, store.SeedData(*c)); err != nil {
		t.Fatal(err)
	}
	r, err := replica.Open(ctx, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{store: s, snap: r.Current(), roles: map[string]*model.Role{}, bySlug: map[string]*model.Role{},
		tools: map[string]*model.Tool{}, adjacent: map[string][]model.RoleRelation{}}
	for i := range c.Roles {
		w.roles[c.Roles[i].ID] = &c.Roles[i]
		w.bySlug[c.Roles[i].Slug] = &c.Roles[i]
	}
	for i := range c.Tools {
		w.tools[c.Tools[i].ID] = &c.Tools[i]
	}
	for _, rel := range c.Relations {
		for _, end := range []string{rel.FromID, rel.ToID} {
			v, _ := model.RelationFrom(rel, end)
			w.adjacent[end] = append(w.adjacent[end], v)
		}
	}
	return w
}

func (w *world) readers() map[string]model.CatalogReader {
	return map[string]model.CatalogReader{"store": w.store, "memory": w.snap}
}

// brutePath enumerates every simple path of the shortest length, by plain
// depth-first search, and picks the cheapest, then the first by slugs.
func (w *world) brutePath(from, to string) (slugs []string, cost int, ok bool) {
	if from == to {
		return []string{w.roles[from].Slug}, 0, true
	}
	// The shortest length, by a breadth-first search of its own.
	dist := map[string]int{from: 0}
	queue := []string{from}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range w.adjacent[v] {
			if _, seen := dist[e.RoleID]; !seen {
				dist[e.RoleID] = dist[v] + 1
				queue = append(queue, e.RoleID)
			}
		}
	}
	length, reachable := dist[to]
	if !reachable {
		return nil, 0, false
	}
	gain := func(a, b string) int {
		n := 0
		for _, id := range w.roles[b].ToolIDs {
			if !slices.Contains(w.roles[a].ToolIDs, id) {
				n++
			}
		}
		return n
	}
	best, bestCost := []string(nil), 0
	var walk func(path []string)
	walk = func(path []string) {
		v := path[len(path)-1]
		if len(path)-1 == length {
			if v != to {
				return
			}
			c := 0
			var s []string
			for i, id := range path {
				if i > 0 {
					c += gain(path[i-1], id)
				}
				s = append(s, w.roles[id].Slug)
			}
			if best == nil || c < bestCost || c == bestCost && slices.Compare(s, best) < 0 {
				best, bestCost = s, c
			}
			return
		}
		for _, e := range w.adjacent[v] {
			if !slices.Contains(path, e.RoleID) {
				walk(append(slices.Clip(path), e.RoleID))
			}
		}
	}
	walk([]string{from})
	return best, bestCost, true
}

func TestCareerPathIsTheBruteForceAnswer(t *testing.T) {
	w := newWorld(t)
	ids := make([]string, 0, len(w.roles))
	for id := range w.roles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for name, r := range w.readers() {
		pairs := 0
		for _, from := range ids {
			for _, to := range ids {
				// Every pair from memory; from the store, where each costs a
				// few scans of the relations, a sample: the algorithm is the
				// same, the sample checks the store answers its reads alike.
				pairs++
				if name == "store" && pairs%53 != 0 {
					continue
				}
				want, wantCost, reachable := w.brutePath(from, to)
				got, err := insights.CareerPath(ctx, r, w.roles[from], w.roles[to])
				if err != nil {
					t.Fatal(err)
				}
				if !reachable {
					if got != nil {
						t.Errorf("%s: %s to %s: a path where none exists", name, w.roles[from].Slug, w.roles[to].Slug)
					}
					continue
				}
				if got == nil {
					t.Fatalf("%s: %s to %s: no path; want %v", name, w.roles[from].Slug, w.roles[to].Slug, want)
				}
				var slugs []string
				for _, s := range got.Steps {
					slugs = append(slugs, s.Role.Slug)
				}
				if !slices.Equal(slugs, want) || got.NewTools != wantCost {
					t.Errorf("%s: %s to %s: %v costing %d; want %v costing %d", name, w.roles[from].Slug, w.roles[to].Slug, slugs, got.NewTools, want, wantCost)
				}
			}
		}
	}
	// The steps say how each role relates to the one before.
	got, _ := insights.CareerPath(ctx, w.snap, w.bySlug["front-end-developer"], w.bySlug["full-stack-developer"])
	for i, s := range got.Steps {
		if (i == 0) != (s.Via == nil) {
			t.Errorf("step %d via %v", i, s.Via)
		}
	}
}

func TestCompareIsTheBruteForceAnswer(t *testing.T) {
	w := newWorld(t)
	rng := rand.New(rand.NewPCG(1, 2))
	slugs := slices.Sorted(func(yield func(string) bool) {
		for s := range w.bySlug {
			if !yield(s) {
				return
			}
		}
	})
	sets := [][]string{{"back-end-developer", "back-end-developer"}, {"back-end-developer", "full-stack-developer"}}
	for n := 2; n <= 4; n++ {
		for range 20 {
			var set []string
			for range n {
				set = append(set, slugs[rng.IntN(len(slugs))])
			}
			sets = append(sets, set)
		}
	}
	norm := func(s string) string { return strings.Join(model.Words(s), " ") }
	for _, set := range sets {
		var roles []*model.Role
		for _, s := range set {
			roles = append(roles, w.bySlug[s])
		}
		for name, r := range w.readers() {
			got, err := insights.Compare(ctx, r, roles)
			if err != nil {
				t.Fatal(err)
			}
			// Brute force: a tool or skill is shared when every role has it,
			// and only role i's when no other position has it.
			var wantShared, wantSkills []string
			for _, id := range roles[0].ToolIDs {
				in := 0
				for _, o := range roles {
					if slices.Contains(o.ToolIDs, id) {
						in++
					}
				}
				if in == len(roles) {
					wantShared = append(wantShared, w.tools[id].Slug)
				}
			}
			for _, sk := range roles[0].Skills {
				in := 0
				for _, o := range roles {
					if slices.ContainsFunc(o.Skills, func(x string) bool { return norm(x) == norm(sk) }) {
						in++
					}
				}
				if in == len(roles) {
					wantSkills = append(wantSkills, sk)
				}
			}
			if !slices.Equal(toolSlugs(got.SharedTools), wantShared) || !slices.Equal(orEmpty(got.SharedSkills), orEmpty(wantSkills)) {
				t.Errorf("%s %v: shared %v %v; want %v %v", name, set, toolSlugs(got.SharedTools), got.SharedSkills, wantShared, wantSkills)
			}
			for i, d := range got.Only {
				var want []string
				for _, id := range roles[i].ToolIDs {
					elsewhere := false
					for j, o := range roles {
						elsewhere = elsewhere || (j != i && slices.Contains(o.ToolIDs, id))
					}
					if !elsewhere {
						want = append(want, w.tools[id].Slug)
					}
				}
				if !slices.Equal(toolSlugs(d.Tools), want) {
					t.Errorf("%s %v: only %s: %v; want %v", name, set, roles[i].Slug, toolSlugs(d.Tools), want)
				}
			}
		}
	}
}

func TestMatchIsTheBruteForceAnswer(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		tools  []string
		skills []string
	}{
		{[]string{"python", "sql"}, nil},
		{[]string{"git"}, nil}, // many ties
		{[]string{"figma", "python"}, []string{"user research"}},
		{nil, []string{"sql", "communication"}},
		{[]string{"java", "python", "ruby", "php", "mysql", "mongodb", "oracle", "apache", "nginx", "django", "flask", "ruby-on-rails", "git", "docker", "ides"}, nil},
		{nil, nil},
	} {
		var tools []*model.Tool
		for _, s := range tc.tools {
			for _, tool := range w.tools {
				if tool.Slug == s {
					tools = append(tools, tool)
				}
			}
		}
		// Brute force: score every role of the catalog.
		var want []model.RoleMatch
		for _, role := range w.roles {
			matched, matchedSkills := 0, 0
			for _, id := range role.ToolIDs {
				if slices.ContainsFunc(tools, func(t *model.Tool) bool { return t.ID == id }) {
					matched++
				}
			}
			for _, sk := range role.Skills {
				for _, q := range tc.skills {
					if _, ok := model.NewQuery(q).Rank(model.NewSearchKey(sk)); ok {
						matchedSkills++
						break
					}
				}
			}
			have, need := matched, len(role.ToolIDs)
			if len(tc.skills) > 0 {
				have, need = have+matchedSkills, need+len(role.Skills)
			}
			if have > 0 {
				want = append(want, model.RoleMatch{Role: role, Score: float64(have) / float64(need), MatchedTools: make([]*model.Tool, matched)})
			}
		}
		slices.SortFunc(want, func(a, b model.RoleMatch) int {
			return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(len(b.MatchedTools), len(a.MatchedTools)),
				strings.Compare(strings.ToLower(a.Role.Title), strings.ToLower(b.Role.Title)), strings.Compare(a.Role.Slug, b.Role.Slug))
		})
		want = want[:min(15, len(want))]
		for name, r := range w.readers() {
			got, err := insights.Match(ctx, r, tools, tc.skills, 15)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s %v %v: %d matches, want %d", name, tc.tools, tc.skills, len(got), len(want))
			}
			for i := range got {
				if got[i].Role.Slug != want[i].Role.Slug || got[i].Score != want[i].Score || len(got[i].MatchedTools) != len(want[i].MatchedTools) {
					t.Errorf("%s %v %v: #%d is %s (%.3f); want %s (%.3f)", name, tc.tools, tc.skills, i,
						got[i].Role.Slug, got[i].Score, want[i].Role.Slug, want[i].Score)
				}
				if s := got[i].Score; s <= 0 || s > 1 {
					t.Errorf("score %v outside (0, 1]", s)
				}
			}
		}
	}
}

func TestUsageIsTheBruteForceAnswer(t *testing.T) {
	w := newWorld(t)
	count := map[string]int{}
	for _, role := range w.roles {
		for _, id := range role.ToolIDs {
			count[id]++
		}
	}
	for _, category := range []*model.ToolCategory{nil, ptr(model.CategoryDatabase), ptr(model.CategoryProgrammingLanguage), ptr(model.CategoryOther)} {
		var want []model.ToolUsage
		for id, n := range count {
			if category == nil || w.tools[id].Category == *category {
				want = append(want, model.ToolUsage{Tool: w.tools[id], RoleCount: n})
			}
		}
		slices.SortFunc(want, func(a, b model.ToolUsage) int {
			return cmp.Or(cmp.Compare(b.RoleCount, a.RoleCount), strings.Compare(strings.ToLower(a.Tool.Name), strings.ToLower(b.Tool.Name)))
		})
		for _, first := range []int{1, 7, 500} {
			wantFirst := want[:min(first, len(want))]
			for name, r := range w.readers() {
				got, err := insights.Usage(ctx, r, category, first)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(wantFirst) {
					t.Fatalf("%s %v first %d: %d tools, want %d", name, category, first, len(got), len(wantFirst))
				}
				for i := range got {
					if got[i].Tool.Slug != wantFirst[i].Tool.Slug || got[i].RoleCount != wantFirst[i].RoleCount {
						t.Errorf("%s %v first %d: #%d %s %d; want %s %d", name, category, first, i,
							got[i].Tool.Slug, got[i].RoleCount, wantFirst[i].Tool.Slug, wantFirst[i].RoleCount)
					}
				}
			}
		}
	}
	// Beside Git: the roles that list both.
	git := w.bySlug["back-end-developer"].ToolIDs[12]
	both := map[string]int{}
	for _, role := range w.roles {
		if slices.Contains(role.ToolIDs, git) {
			for _, id := range role.ToolIDs {
				if id != git {
					both[id]++
				}
			}
		}
	}
	using, err := w.snap.RolesUsingTools(ctx, []string{git})
	if err != nil {
		t.Fatal(err)
	}
	roles := make([]*model.Role, len(using))
	for i := range using {
		roles[i] = &using[i]
	}
	got, err := insights.UsedWith(ctx, w.snap, w.tools[git], roles, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range got {
		if both[u.Tool.ID] != u.RoleCount {
			t.Errorf("beside git: %s %d, want %d", u.Tool.Slug, u.RoleCount, both[u.Tool.ID])
		}
	}
}

func toolSlugs(tools []*model.Tool) []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.Slug)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ptr[T any](v T) *T { return &v }
