// Package storetest gives each test a fresh database on a real store: the
// embedded FerretDB by default, or the MongoDB at MONGODB_URI when it is set,
// so the same tests run against both.
package storetest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/finder-platform/finder/store"
	"github.com/finder-platform/finder/store/storetest/testserver"
)

// Main runs a package's tests and then stops the embedded store, if one was
// started. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	testserver.Stop()
	os.Exit(code)
}

// Options returns store options for a fresh database on the store under test.
func Options(t testing.TB) store.Options {
	return store.Options{URI: testserver.URI(t), Database: testserver.DatabaseName()}
}

// Open opens a store on a fresh database with its indexes, dropped when the
// test ends. Change the options (to count commands, say) with edit.
func Open(t testing.TB, edit ...func(*store.Options)) *store.Store {
	t.Helper()
	o := Options(t)
	for _, e := range edit {
		e(&o)
	}
	s, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Drop(ctx); err != nil {
			t.Errorf("drop test database: %v", err)
		}
		_ = s.Close(ctx)
	})
	if err := s.EnsureIndexes(context.Background()); err != nil {
		t.Fatalf("ensure indexes: %v", err)
	}
	return s
}
