package loaders_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDriverAboveTheStore keeps the layering of docs/ARCHITECTURE.md: the API and its
// loaders reach data only through model.CatalogReader, never the driver.
func TestNoDriverAboveTheStore(t *testing.T) {
	for _, pkg := range []string{"github.com/finder-platform/finder/graph", "github.com/finder-platform/finder/loaders", "github.com/finder-platform/finder/model"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "go.mongodb.org/") || strings.HasPrefix(dep, "github.com/FerretDB/") ||
				dep == "github.com/finder-platform/finder/store" {
				t.Errorf("%s imports %s", pkg, dep)
			}
		}
	}
}
