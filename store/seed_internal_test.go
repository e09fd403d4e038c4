package store

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/store/storetest/testserver"
)

// These tests reach into the meta collection to set up states that only a
// crash or an older database produce.

func seedStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{URI: testserver.URI(t), Database: testserver.DatabaseName()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()); _ = s.Close(context.Background()) })
	return s
}

var seedTool = model.Tool{ID: "t1", Slug: "git", Name: "Git", Category: model.CategoryDevelopmentTool, Version: 1}
var seedRole = model.Role{ID: "r1", Slug: "back-end-developer", Title: "Back-End Developer", ToolIDs: []string{"t1"}, Version: 1}

func TestSeedLeavesADatabaseWithDataAlone(t *testing.T) {
	ctx := context.Background()
	s := seedStore(t)
	if _, err := s.tools.InsertOne(ctx, toToolDoc(&seedTool)); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Seed(ctx, SeedData{Roles: []model.Role{seedRole}}); err != nil || ok {
		t.Fatalf("Seed over a database with data = %v, %v; want false, nil", ok, err)
	}
	if n, _ := s.CountRoles(ctx); n != 0 {
		t.Errorf("%d roles after Seed; want 0", n)
	}
}

func TestSeedFinishesAnInterruptedSeed(t *testing.T) {
	ctx := context.Background()
	s := seedStore(t)
	// A seed that died after writing the marker and the tools.
	if _, err := s.meta.InsertOne(ctx, seedMarker{ID: seedMarkerID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.tools.InsertOne(ctx, toToolDoc(&seedTool)); err != nil {
		t.Fatal(err)
	}
	ok, err := s.Seed(ctx, SeedData{Tools: []model.Tool{seedTool}, Roles: []model.Role{seedRole}})
	if err != nil || !ok {
		t.Fatalf("Seed = %v, %v; want true, nil", ok, err)
	}
	var m seedMarker
	if err := s.meta.FindOne(ctx, bson.D{{Key: "_id", Value: seedMarkerID}}).Decode(&m); err != nil || !m.Done {
		t.Errorf("marker = %+v, %v; want done", m, err)
	}
	if r, _ := s.RoleBySlug(ctx, "back-end-developer"); r == nil {
		t.Error("the interrupted seed's role was not written")
	}
}
