package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/store"
)

// seedStoreCommand writes the shipped catalog and n generated roles straight
// into an empty store, the way a first start seeds it. generate grows a
// catalog through the API, as editors would; on the embedded store every
// write scans collections that grow with the catalog, so a catalog of
// 10,000 roles is made this way in seconds rather than hours.
//
//	bench seed-store -uri mongodb://127.0.0.1:27017/ -roles 10000
//
// Then start the server on that store (MONGODB_URI, or the store's
// directory as FINDER_DATA_DIR).
func seedStoreCommand(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed-store", flag.ContinueOnError)
	fs.SetOutput(stderr)
	uri := fs.String("uri", "", "the store's mongodb:// URI")
	database := fs.String("database", "finder", "the database")
	roles := fs.Int("roles", 1000, "how many generated roles to add to the shipped catalog")
	seed := fs.Uint64("seed", 1, "the generator's seed: the same seed makes the same catalog")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *uri == "" {
		return fmt.Errorf("seed-store needs -uri")
	}
	s, err := store.Open(ctx, store.Options{URI: *uri, Database: *database})
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	base, err := catalog.Load()
	if err != nil {
		return err
	}
	c := catalog.Generate(base, *roles, *seed)
	start := time.Now()
	if err := s.EnsureIndexes(ctx); err != nil {
		return err
	}
	seeded, err := s.Seed(ctx, store.SeedData(*c))
	if err != nil {
		return err
	}
	if !seeded {
		return fmt.Errorf("the store already holds a catalog: seed-store only fills an empty one")
	}
	fmt.Fprintf(stderr, "seeded %d roles, %d tools, %d learning resources and %d relations in %v\n",
		len(c.Roles), len(c.Tools), len(c.Resources), len(c.Relations), time.Since(start).Round(time.Millisecond))
	return nil
}
