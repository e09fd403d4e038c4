package catalog

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/finder-platform/finder/model"
)

// levels and focuses make generated titles read like real ones.
var (
	levels  = []string{"Junior", "Senior", "Staff", "Principal", "Lead", "Associate", "Chief"}
	focuses = []string{"Payments", "Healthcare", "Gaming", "Retail", "Logistics", "Energy", "Media", "Travel", "Fintech", "Public Sector"}
)

// GeneratedTitle is the title of the n-th generated role copied from a
// role titled base: a random level and focus first, n last ("Senior
// Payments Data Engineer 17").
func GeneratedTitle(rng *rand.Rand, base string, n int) string {
	return fmt.Sprintf("%s %s %s %d", levels[rng.IntN(len(levels))], focuses[rng.IntN(len(focuses))], base, n)
}

// IsGeneratedTitle reports whether a title is one GeneratedTitle makes: a
// level first and a number last.
func IsGeneratedTitle(title string) bool {
	words := strings.Fields(title)
	if len(words) < 3 || !slices.Contains(levels, words[0]) {
		return false
	}
	_, err := strconv.Atoi(words[len(words)-1])
	return err == nil
}

// Generate returns base with n generated roles added, for benchmarks and
// load tests that need a large catalog. Each generated role copies the text
// of a base role, takes a random set of the base's tools and resources, and
// links to up to three roles before it. The same seed gives the same catalog.
func Generate(base *Catalog, n int, seed uint64) *Catalog {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := &Catalog{
		Roles:     append([]model.Role(nil), base.Roles...),
		Tools:     base.Tools,
		Resources: base.Resources,
		Relations: append([]model.Relation(nil), base.Relations...),
	}
	pairs := map[string]bool{}
	for _, r := range out.Relations {
		pairs[model.PairKey(r.FromID, r.ToID)] = true
	}
	for i := range n {
		like := base.Roles[rng.IntN(len(base.Roles))]
		role := like
		role.Title = GeneratedTitle(rng, like.Title, i+1)
		role.Slug = model.Slugify(role.Title)
		role.ID = ID("role", role.Slug)
		role.ToolIDs = sample(rng, base.Tools, 6+rng.IntN(10), func(t model.Tool) string { return t.ID })
		role.ResourceIDs = sample(rng, base.Resources, 2+rng.IntN(4), func(r model.LearningResource) string { return r.ID })
		out.Roles = append(out.Roles, role)
		for range 1 + rng.IntN(3) {
			other := out.Roles[rng.IntN(len(out.Roles)-1)]
			key := model.PairKey(role.ID, other.ID)
			if pairs[key] {
				continue
			}
			pairs[key] = true
			rel := model.CanonicalRelation(model.Relation{
				FromID: role.ID, ToID: other.ID,
				Kind: model.RelationKinds[rng.IntN(len(model.RelationKinds))],
				Note: "A generated link between " + role.Title + " and " + other.Title + ".",
			})
			rel.ID = ID("relation", key)
			out.Relations = append(out.Relations, rel)
		}
	}
	return out
}

// sample returns the ids of n distinct items chosen at random.
func sample[T any](rng *rand.Rand, items []T, n int, id func(T) string) []string {
	n = min(n, len(items))
	out := make([]string, 0, n)
	for _, i := range rng.Perm(len(items))[:n] {
		out = append(out, id(items[i]))
	}
	return out
}
