package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest"
)

// roleChange is a change at seq that writes role as it is, and deletes the
// relation gone.
func roleChange(seq int64, role model.Role, gone string) *model.Change {
	c := &model.Change{ID: "change-" + string(rune('a'+seq)), Seq: seq, At: time.Now().UTC().Truncate(time.Millisecond),
		Actor: "Ada", Operation: "updateRole",
		Entries: []model.ChangeEntry{{Type: model.TypeRole, ID: role.ID, Slug: role.Slug, Action: model.ActionUpdated, Version: role.Version,
			Fields: []model.FieldChange{{Field: "tagline", Before: "old", After: role.Tagline}, {Field: "skills", Before: []any{"a"}, After: []any{"a", "b"}}}}},
		Writes: []model.Write{{Type: model.TypeRole, ID: role.ID, Role: &role}}}
	if gone != "" {
		c.Writes = append(c.Writes, model.Write{Type: model.TypeRelation, ID: gone})
	}
	return c
}

// TestAppendTakesEachNumberOnce: the insert of a change is the commit, and
// of two changes with one number only the first is written.
func TestAppendTakesEachNumberOnce(t *testing.T) {
	s := seeded(t) // the seeding's change is number 1
	role, _ := s.RoleBySlug(ctx, "back-end-developer")
	role.Tagline, role.Version = "Edited once", 2
	first := roleChange(2, *role, "rel1")
	if err := s.Append(ctx, first); err != nil {
		t.Fatal(err)
	}
	role.Tagline = "Edited by someone who read the same version"
	if err := s.Append(ctx, roleChange(2, *role, "")); !errors.Is(err, store.ErrSeqTaken) {
		t.Fatalf("a second change numbered 2: %v, want ErrSeqTaken", err)
	}
	got, err := s.ChangeAt(ctx, 2)
	if err != nil || got == nil {
		t.Fatalf("ChangeAt(2) = %v, %v", got, err)
	}
	if got.ID != first.ID || got.Actor != "Ada" || len(got.Writes) != 2 || got.Writes[0].Role == nil ||
		got.Writes[0].Role.Tagline != "Edited once" || !got.Writes[1].Deleted() || got.Writes[1].Type != model.TypeRelation {
		t.Errorf("the log gives back %+v", got)
	}
	if f := got.Entries[0].Fields[1]; len(f.After.([]any)) != 2 {
		t.Errorf("a list field came back as %#v", f.After)
	}
	if c, err := s.ChangeAt(ctx, 3); c != nil || err != nil {
		t.Errorf("ChangeAt(3) = %v, %v; want nothing", c, err)
	}
	if seed, _ := s.ChangeAt(ctx, 1); seed == nil || !seed.Reload || seed.Operation != model.OperationSeed {
		t.Errorf("change 1 = %+v, want the seeding", seed)
	}
}

// TestProjectingAgainEndsAsTheLastChangeLeftIt: projection may run twice,
// or replay older changes after newer ones, and ends right once the log is
// replayed in order to its end.
func TestProjectingAgainEndsAsTheLastChangeLeftIt(t *testing.T) {
	s := seeded(t)
	role, _ := s.RoleBySlug(ctx, "back-end-developer")
	v2, v3 := *role, *role
	v2.Tagline, v2.Version = "Version two", 2
	v3.Tagline, v3.Version = "Version three", 3
	changes := []*model.Change{roleChange(2, v2, "rel1"), roleChange(3, v3, "")}
	for _, c := range changes {
		if err := s.Append(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// Projected, then a new holder replays from an older place.
	for _, c := range append(changes, changes...) {
		if err := s.Project(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.RoleBySlug(ctx, "back-end-developer")
	if got.Tagline != "Version three" || got.Version != 3 {
		t.Errorf("after replaying: %q version %d", got.Tagline, got.Version)
	}
	if rels, _ := s.RelationsOf(ctx, []string{role.ID}); len(rels) != 1 {
		t.Errorf("the deleted relation is back, or more went: %d relations", len(rels))
	}
	// A made document is inserted, and inserted again without harm.
	tool := model.Tool{ID: "t-zig", Slug: "zig", Name: "Zig", Category: model.CategoryProgrammingLanguage, Version: 1}
	made := &model.Change{ID: "make-zig", Seq: 4, Operation: "createTool", Writes: []model.Write{{Type: model.TypeTool, ID: tool.ID, Created: true, Tool: &tool}}}
	for range 2 {
		if err := s.Project(ctx, made); err != nil {
			t.Fatal(err)
		}
	}
	if z, _ := s.ToolBySlug(ctx, "zig"); z == nil || z.Name != "Zig" {
		t.Errorf("the made tool is %+v", z)
	}
}

// TestOneProjectorAtATime: the lease is held by one instance; another gets
// it when it is released or left to expire, or with force.
func TestOneProjectorAtATime(t *testing.T) {
	s := storetest.Open(t)
	hold := func(who string, term time.Duration, force bool) bool {
		t.Helper()
		ok, err := s.HoldProjector(ctx, who, term, force)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !hold("a", time.Minute, false) || !hold("a", time.Minute, false) {
		t.Fatal("the first instance cannot take or renew the lease")
	}
	if hold("b", time.Minute, false) {
		t.Fatal("a second instance took a live lease")
	}
	if err := s.ReleaseProjector(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if !hold("b", 50*time.Millisecond, false) {
		t.Fatal("the lease was released, yet b cannot take it")
	}
	time.Sleep(100 * time.Millisecond)
	if !hold("a", time.Minute, false) {
		t.Fatal("b let its lease expire, yet a cannot take it")
	}
	if hold("b", time.Minute, false) {
		t.Fatal("b took a's live lease")
	}
	if !hold("b", time.Minute, true) || hold("a", time.Minute, false) {
		t.Fatal("with force, b should take the lease, and a lose it")
	}
	if err := s.SetProjectedSeq(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if seq, err := s.ProjectedSeq(ctx); seq != 7 || err != nil {
		t.Errorf("ProjectedSeq = %d, %v", seq, err)
	}
}

// TestChangeFeedPagesAndFindsTimes: the public feed pages through the log
// in order, and since starts at the first change made then or later.
func TestChangeFeedPagesAndFindsTimes(t *testing.T) {
	s := seeded(t)
	role, _ := s.RoleBySlug(ctx, "back-end-developer")
	start := time.Now().UTC().Truncate(time.Millisecond)
	for seq := int64(2); seq <= 9; seq++ {
		r := *role
		r.Version = int(seq)
		c := roleChange(seq, r, "")
		c.At = start.Add(time.Duration(seq) * time.Second)
		if err := s.Append(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	p := model.PageRequest{First: 3}
	for pages := 0; pages < 10; pages++ {
		page, err := s.ChangeFeed(ctx, 9, nil, p)
		if err != nil {
			t.Fatal(err)
		}
		if total, _ := page.Total(ctx); total != 9 {
			t.Errorf("total %d, want 9", total)
		}
		for _, c := range page.Items {
			seen = append(seen, c.Seq)
			if len(c.Writes) != 0 {
				t.Errorf("the feed read change %d's writes", c.Seq)
			}
		}
		if !page.HasNext {
			break
		}
		p.After = &page.Cursors[len(page.Cursors)-1]
	}
	if len(seen) != 9 || seen[0] != 1 || seen[8] != 9 {
		t.Errorf("paging saw %v", seen)
	}
	since := start.Add(5 * time.Second)
	page, err := s.ChangeFeed(ctx, 9, &since, model.PageRequest{First: 100})
	if total, _ := page.Total(ctx); err != nil || len(page.Items) != 5 || page.Items[0].Seq != 5 || total != 5 {
		t.Errorf("since %v: %d changes from %v, total %d, %v", since, len(page.Items), page.Items, total, err)
	}
	// A head older than the log's end bounds the feed: a reader sees the
	// changes its catalog includes.
	page, _ = s.ChangeFeed(ctx, 4, nil, model.PageRequest{First: 100})
	if len(page.Items) != 4 || page.HasNext {
		t.Errorf("up to 4: %d changes, hasNext %v", len(page.Items), page.HasNext)
	}
}
