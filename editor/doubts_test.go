package editor_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/editor"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	ctx    = context.Background()
	quiet  = slog.New(slog.DiscardHandler)
	editAs = model.WithViewer(ctx, &model.Viewer{Name: "Editor Ada", Scopes: model.Scopes})
)

// lostAnswer is a log whose store writes the change but loses the answer,
// as when the store dies between the two: the commit is told it failed.
type lostAnswer struct {
	*store.Store
	lose bool
}

func (l *lostAnswer) Append(ctx context.Context, c *model.Change) error {
	err := l.Store.Append(ctx, c)
	if err == nil && l.lose {
		l.lose = false
		return model.Unavailable(errors.New("the store went away before it answered"))
	}
	return err
}

func seeded(t *testing.T) (*store.Store, *replica.Replica) {
	t.Helper()
	s := storetest.Open(t)
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Seed(ctx, store.SeedData(*base)); err != nil {
		t.Fatal(err)
	}
	r, err := replica.Open(ctx, s, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// TestAWriteReportedFailedDoesNotStand: a commit whose insert was written
// but whose answer was lost is reported as failed; once the store answers,
// Settle finds it in the log and commits its undoing, so the catalog is as
// if it never happened, on this instance and on any other.
func TestAWriteReportedFailedDoesNotStand(t *testing.T) {
	s, r := seeded(t)
	log := &lostAnswer{Store: s}
	ed := editor.New(log, r, quiet)
	before := r.Current()
	writer := before.RoleWithSlug("technical-writer")
	tool := before.ToolWithSlug("docker")

	// A new role, and a link that changes two roles: both reported failed.
	in := model.RoleInput{Slug: "doubtful-role", Title: "Doubtful Role", Family: model.FamilyData, Tagline: "t",
		Description: "d", Skills: []string{"s"}, Responsibilities: []string{"r"}, Advantages: []string{"a"},
		Disadvantages: []string{"d"}, GoodFit: "g"}
	log.lose = true
	if _, err := ed.CreateRole(editAs, in); model.ErrorCodeOf(err) != model.CodeServiceUnavailable {
		t.Fatalf("a commit whose answer was lost: %v, want SERVICE_UNAVAILABLE", err)
	}
	log.lose = true
	if _, err := ed.RelateRoles(editAs, model.RelationInput{From: "technical-writer", To: "data-analyst", Kind: model.RelationNextStep}); model.ErrorCodeOf(err) != model.CodeServiceUnavailable {
		t.Fatalf("a commit whose answer was lost: %v, want SERVICE_UNAVAILABLE", err)
	}
	// Someone else builds on one of the writes meanwhile: theirs stays.
	other, _ := replica.Open(ctx, s, quiet, nil)
	if _, err := editor.New(s, other, quiet).AttachTools(editAs, writer.ID, []string{tool.Slug}, nil); err != nil {
		t.Fatal(err)
	}

	undone, err := ed.Settle(ctx)
	if err != nil || undone != 2 {
		t.Fatalf("Settle undid %d changes, %v; want 2", undone, err)
	}
	if err := r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	now := r.Current()
	if now.RoleWithSlug("doubtful-role") != nil {
		t.Error("the role reported as not made is there")
	}
	analyst := now.RoleWithSlug("data-analyst")
	for _, l := range now.Links(analyst.ID) {
		if l.FromID == writer.ID || l.ToID == writer.ID {
			t.Error("the link reported as not made is there")
		}
	}
	if was := before.RoleWithSlug("data-analyst"); analyst.Version != was.Version+2 || analyst.Tagline != was.Tagline {
		t.Errorf("data-analyst is at version %d, want %d: changed, then put back", analyst.Version, was.Version+2)
	}
	// The technical writer was changed again by the other editor after the
	// doubted link: it keeps that editor's tool, and the link's bump.
	if w := now.RoleWithSlug("technical-writer"); len(w.ToolIDs) != len(writer.ToolIDs)+1 {
		t.Errorf("the other editor's attached tool is lost: %d tools, want %d", len(w.ToolIDs), len(writer.ToolIDs)+1)
	}
	if n, err := ed.Settle(ctx); n != 0 || err != nil {
		t.Errorf("a second Settle undid %d, %v; want nothing to do", n, err)
	}
}
