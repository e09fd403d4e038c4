package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/store/storetest/testserver"
)

// editStore is a store seeded with two tools and three roles, A linked to B.
func editStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Options{URI: testserver.URI(t), Database: testserver.DatabaseName()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(ctx); _ = s.Close(ctx) })
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	role := func(id, slug string) model.Role {
		return model.Role{ID: id, Slug: slug, Title: slug, Family: model.FamilyEngineering, Tagline: "t",
			Description: "d", Skills: []string{"s"}, Responsibilities: []string{"r"}, ToolIDs: []string{"t-git"},
			Advantages: []string{"a"}, Disadvantages: []string{"d"}, GoodFit: "g", Version: 1}
	}
	_, err = s.Seed(ctx, SeedData{
		Tools: []model.Tool{{ID: "t-git", Slug: "git", Name: "Git", Category: model.CategoryDevelopmentTool, Version: 1},
			{ID: "t-go", Slug: "go", Name: "Go", Category: model.CategoryProgrammingLanguage, Version: 1}},
		Roles:     []model.Role{role("a", "role-a"), role("b", "role-b"), role("c", "role-c")},
		Relations: []model.Relation{{ID: "ab", FromID: "a", ToID: "b", Kind: model.RelationNextStep, Note: "grow"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// snapshot is every document of the catalog's collections, to compare the
// store before and after an edit that failed.
func snapshot(t *testing.T, s *Store) map[string][]bson.M {
	t.Helper()
	out := map[string][]bson.M{}
	for _, c := range []string{"roles", "tools", "resources", "relations"} {
		cur, err := s.db.Collection(c).Find(context.Background(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(context.Background(), &docs); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(docs, func(a, b bson.M) int {
			if a["_id"].(string) < b["_id"].(string) {
				return -1
			}
			return 1
		})
		out[c] = docs
	}
	return out
}

func changeStates(t *testing.T, s *Store) map[string]int {
	t.Helper()
	var docs []changeDoc
	cur, err := s.changes.Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cur.All(context.Background(), &docs); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, d := range docs {
		states[d.State]++
	}
	return states
}

var errInjected = errors.New("injected fault")

// TestFailedWriteLeavesNoTrace fails each write of multi-document edits in
// turn, and the commit, and checks that the store is as it was: no half
// link, no bumped version, no claim, and no change in the journal.
func TestFailedWriteLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	edits := map[string]struct {
		writes int
		run    func(*Store) error
	}{
		"relateRoles": {3, func(s *Store) error {
			_, err := s.RelateRoles(ctx, model.RelationInput{From: "role-a", To: "role-c", Kind: model.RelationCollaboratesWith, Note: "n"})
			return err
		}},
		"deleteRole":             {3, func(s *Store) error { return s.DeleteRole(ctx, "a") }},
		"deleteTool with detach": {4, func(s *Store) error { return s.DeleteTool(ctx, "t-git", true) }},
		"unrelateRoles": {3, func(s *Store) error {
			_, err := s.UnrelateRoles(ctx, "role-a", "role-b")
			return err
		}},
	}
	for name, ed := range edits {
		for step := 1; step <= ed.writes; step++ {
			t.Run(name, func(t *testing.T) {
				s := editStore(t)
				before := snapshot(t, s)
				// Step ed.writes is the commit.
				s.fault = func(i int) error {
					if i == step {
						return errInjected
					}
					return nil
				}
				if err := ed.run(s); err == nil {
					t.Fatalf("step %d: the edit succeeded despite the fault", step)
				}
				if after := snapshot(t, s); !equalDocs(before, after) {
					t.Errorf("step %d: the store changed:\nbefore %v\nafter  %v", step, after["relations"], before["relations"])
				}
				if states := changeStates(t, s); len(states) != 0 {
					t.Errorf("step %d: change states %v, want the change gone", step, states)
				}
				if n, _ := s.claims.CountDocuments(ctx, bson.D{}); n != 0 {
					t.Errorf("step %d: %d version claims left behind", step, n)
				}
			})
		}
	}
}

func equalDocs(a, b map[string][]bson.M) bool { return reflect.DeepEqual(a, b) }

// TestRecoverPendingUndoesAnAbandonedEdit plays an instance that died after
// the first write of an edit: the change stays pending with its write
// applied, until RecoverPending undoes it.
func TestRecoverPendingUndoesAnAbandonedEdit(t *testing.T) {
	ctx := context.Background()
	s := editStore(t)
	before := snapshot(t, s)
	// The undo itself fails too, as when the store has gone away.
	s.fault = func(i int) error {
		if i == 1 {
			return errInjected
		}
		return nil
	}
	s.undoFault = errInjected
	if _, err := s.RelateRoles(ctx, model.RelationInput{From: "role-b", To: "role-c", Kind: model.RelationOverlapsWith}); err == nil {
		t.Fatal("the edit succeeded despite the fault")
	}
	s.undoFault = nil
	if states := changeStates(t, s); states[statePending] != 1 {
		t.Fatalf("change states %v, want one pending", states)
	}
	// Another instance finds it: this one, which knows it failed it, is gone.
	s.orphans = orphans{}
	if n, err := s.RecoverPending(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("RecoverPending of a recent change = %d, %v; want it left alone", n, err)
	}
	if n, err := s.RecoverPending(ctx, 0); err != nil || n != 1 {
		t.Fatalf("RecoverPending = %d, %v; want 1", n, err)
	}
	if after := snapshot(t, s); !equalDocs(before, after) {
		t.Errorf("the store changed:\nbefore %v\nafter  %v", before, after)
	}
	if states := changeStates(t, s); len(states) != 0 {
		t.Errorf("change states %v, want the change gone", states)
	}
}

// TestOrphansAreUndoneWhenTheStoreIsBack fails an edit whose undo fails too
// (the store is away), then lets the store "come back": the instance that
// failed the edit undoes it at its next try, without waiting a minute.
func TestOrphansAreUndoneWhenTheStoreIsBack(t *testing.T) {
	ctx := context.Background()
	s := editStore(t)
	before := snapshot(t, s)
	s.fault = func(i int) error {
		if i == 2 {
			return errInjected
		}
		return nil
	}
	s.undoFault = errInjected
	if err := s.DeleteRole(ctx, "a"); err == nil {
		t.Fatal("the edit succeeded despite the fault")
	}
	if n, err := s.RetryOrphans(ctx); n != 0 || err == nil {
		t.Fatalf("RetryOrphans while the store is away = %d, %v; want 0 and an error", n, err)
	}
	s.undoFault = nil
	if n, err := s.RecoverPending(ctx, 0); err != nil || n != 0 {
		t.Errorf("RecoverPending = %d, %v; want it to leave this instance's orphan alone", n, err)
	}
	if n, err := s.RetryOrphans(ctx); n != 1 || err != nil {
		t.Fatalf("RetryOrphans = %d, %v; want 1", n, err)
	}
	if after := snapshot(t, s); !equalDocs(before, after) {
		t.Errorf("the store changed: %v", after["roles"])
	}
	if states := changeStates(t, s); len(states) != 0 {
		t.Errorf("change states %v, want the change gone", states)
	}
	if n, _ := s.RetryOrphans(ctx); n != 0 {
		t.Errorf("a second RetryOrphans undid %d", n)
	}
}

// TestCommittedChangesMoveToHistory checks that the journal keeps only
// edits in flight: a committed edit moves to history. RecoverPending moves
// a change whose instance died between the commit and that move, and a
// committed change as stores kept it before history had a collection.
func TestCommittedChangesMoveToHistory(t *testing.T) {
	ctx := context.Background()
	s := editStore(t)
	if _, err := s.RelateRoles(ctx, model.RelationInput{From: "role-b", To: "role-c", Kind: model.RelationOverlapsWith}); err != nil {
		t.Fatal(err)
	}
	if states := changeStates(t, s); len(states) != 0 {
		t.Errorf("journal %v after a committed edit, want it empty", states)
	}
	old := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	change := func(id, state string) changeDoc {
		return changeDoc{ID: id, State: state, At: old, Actor: "Ada", Operation: "updateRole", EntityIDs: []string{"c"},
			Entries: []entryDoc{{Type: model.TypeRole, ID: "c", Slug: "role-c", Action: string(model.ActionUpdated), Version: 2}}}
	}
	cut := change("cut-short", statePending)
	cut.Undo = []undoDoc{{Coll: "roles", ID: "c"}}
	cutSeq, err := s.publish(ctx, feedCommit, cut.ID, cut.entities())
	if err != nil {
		t.Fatal(err)
	}
	legacy := change("legacy", stateCommitted)
	if legacy.Seq, err = s.publish(ctx, feedCommit, legacy.ID, legacy.entities()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.changes.InsertMany(ctx, []any{cut, legacy}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.RecoverPending(ctx, time.Minute); err != nil || n != 2 {
		t.Fatalf("RecoverPending = %d, %v; want 2", n, err)
	}
	if states := changeStates(t, s); len(states) != 0 {
		t.Errorf("journal %v after RecoverPending, want it empty", states)
	}
	page, err := s.History(ctx, "c", model.PageRequest{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range page.Items {
		got = append(got, fmt.Sprintf("%s@%d", h.Change.ID, h.Seq))
	}
	if len(got) != 3 || got[0] != fmt.Sprintf("legacy@%d", legacy.Seq) || got[1] != fmt.Sprintf("cut-short@%d", cutSeq) {
		t.Errorf("history of role C = %v, want legacy, cut-short, then the relateRoles edit", got)
	}
	var recorded changeDoc
	if err := s.history.FindOne(ctx, byID("cut-short")).Decode(&recorded); err != nil || recorded.Undo != nil || recorded.State != stateCommitted {
		t.Errorf("recorded change %+v, %v; want it committed, without its undo", recorded, err)
	}
}

// TestInstancesNumberTheFeedWithoutGaps has two instances, each remembering
// the feed's head, take turns committing: the one whose memory is stale
// finds its number taken and takes the next. The feed must number every
// commit once, in order, without a gap.
func TestInstancesNumberTheFeedWithoutGaps(t *testing.T) {
	ctx := context.Background()
	a := editStore(t)
	b, err := Open(ctx, Options{URI: testserver.URI(t), Database: a.db.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(ctx) })
	start, err := a.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var published []int64
	for i := range 12 {
		s := a
		if i%3 != 0 { // b commits twice in a row now and then
			s = b
		}
		seq, err := s.publish(ctx, feedCommit, fmt.Sprintf("change-%d", i), nil)
		if err != nil {
			t.Fatal(err)
		}
		published = append(published, seq)
	}
	entries, err := a.Feed(ctx, start, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		if e.Seq != start+int64(i)+1 || published[i] != e.Seq {
			t.Fatalf("feed numbers %v, published %v; want %d to %d in order", entries, published, start+1, start+12)
		}
	}
	if len(entries) != 12 {
		t.Errorf("%d feed entries, want 12", len(entries))
	}
}
