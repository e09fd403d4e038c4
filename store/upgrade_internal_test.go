package store

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/store/storetest/testserver"
)

// TestUpgradeFromTheJournalsFormat loads a database written by the
// journal's version (testdata/journal-format.json: a seeded catalog, a role
// made, renamed and related, a key made and revoked, a tool deleted with
// detach, and a relateRoles left half done by a store that went away, as a
// crash leaves it), with that version's unique indexes, and upgrades it.
func TestUpgradeFromTheJournalsFormat(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{URI: testserver.URI(t), Database: testserver.DatabaseName()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(ctx); _ = s.Close(ctx) })
	loadFixture(t, s, "testdata/journal-format.json")
	for _, c := range []*mongo.Collection{s.roles, s.tools, s.resources} {
		if _, err := c.Indexes().CreateOne(ctx, unique("slug")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.relations.Indexes().CreateOne(ctx, unique("pair")); err != nil {
		t.Fatal(err)
	}

	for range 2 { // a second run finds nothing to do
		if err := s.Upgrade(ctx, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatalf("indexes after the upgrade: %v", err)
	}
	names, _ := s.db.ListCollectionNames(ctx, bson.D{})
	for _, old := range []string{oldJournal, oldHistory, oldCommits, oldClaims} {
		if slices.Contains(names, old) {
			t.Errorf("the old collection %s is still there", old)
		}
	}
	if n, _ := s.meta.CountDocuments(ctx, byID("feed")); n != 0 {
		t.Error("the old feed counter is still there")
	}
	// The old history, without the keys' changes, is the log, numbered 1 to 4.
	var ops []string
	for seq := int64(1); ; seq++ {
		c, err := s.ChangeAt(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
		ops = append(ops, c.Operation)
	}
	if want := []string{"createRole", "updateRole", "relateRoles", "deleteTool"}; !slices.Equal(ops, want) {
		t.Errorf("the log is %v, want %v", ops, want)
	}
	if seq, _ := s.ProjectedSeq(ctx); seq != int64(len(ops)) {
		t.Errorf("projected up to %d, want %d: the collections already hold the old history", seq, len(ops))
	}
	// The edit left half done is undone: its relation is gone.
	d, _ := s.RoleBySlug(ctx, "role-d")
	a, _ := s.RoleBySlug(ctx, "role-a")
	if rels, _ := s.RelationsOf(ctx, []string{a.ID}); len(rels) != 1 {
		t.Errorf("role-a has %d relations, want its seeded one: the half-done relateRoles was not undone", len(rels))
	}
	// History reads the log, with who and every field.
	h, err := s.History(ctx, model.TypeRole, d.ID, model.PageRequest{First: 10})
	if err != nil || len(h.Items) != 3 {
		t.Fatalf("role-d's history: %d entries, %v", len(h.Items), err)
	}
	if e := h.Items[1]; e.Operation != "updateRole" || e.Actor != "Editor Ada" || e.Entry.Fields[0].After != "Role D, renamed" {
		t.Errorf("the rename in history: %+v", e)
	}
	// A key's history is read from the key, with who revoked it.
	var key struct {
		ID string `bson:"_id"`
	}
	if err := s.keys.FindOne(ctx, bson.D{}).Decode(&key); err != nil {
		t.Fatal(err)
	}
	kh, _ := s.History(ctx, model.TypeAPIKey, key.ID, model.PageRequest{First: 10})
	if len(kh.Items) != 2 || kh.Items[0].Operation != "revokeApiKey" || kh.Items[0].Actor != "Editor Ada" {
		t.Errorf("the key's history: %+v", kh.Items)
	}
	// Slugs have no unique index any more.
	specs, _ := s.roles.Indexes().ListSpecifications(ctx)
	for _, spec := range specs {
		if spec.Name == "slug_1" && spec.Unique != nil && *spec.Unique {
			t.Error("roles' slug index is still unique")
		}
	}
}

// loadFixture inserts every collection of an extended JSON dump.
func loadFixture(t *testing.T, s *Store, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var dump bson.D
	if err := bson.UnmarshalExtJSON(data, true, &dump); err != nil {
		t.Fatal(err)
	}
	for _, coll := range dump {
		docs, _ := coll.Value.(bson.A)
		if len(docs) == 0 {
			continue
		}
		if _, err := s.db.Collection(coll.Key).InsertMany(context.Background(), []any(docs), options.InsertMany().SetOrdered(true)); err != nil {
			t.Fatalf("load %s: %v", coll.Key, err)
		}
	}
}
