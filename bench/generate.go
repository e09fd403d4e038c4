package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
)

// The mutations of the API (docs/API.md) that generate sends.
const (
	createRoleMutation  = `mutation CreateRole($input: RoleInput!) { createRole(input: $input) { slug } }`
	relateRolesMutation = `mutation RelateRoles($from: String!, $to: String!, $kind: RelationKind!, $note: String) { relateRoles(from: $from, to: $to, kind: $kind, note: $note) { kind } }`
)

// The queries generate reads the existing catalog with.
const (
	roleTitlesQuery    = `query BenchRoleTitles($after: String) { roles(first: 100, after: $after) { nodes { slug title } pageInfo { hasNextPage endCursor } } }`
	resourceSlugsQuery = `query BenchResourceSlugs($after: String) { learningResources(first: 100, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }`
	baseRoleQuery      = `query BenchBaseRole($slug: String!) { role(slug: $slug) { slug title family tagline description skills responsibilities ` +
		`advantages disadvantages goodFit conclusion salary { currency period min median max region basis proxy source sourceUrl year } } }`
)

// relationKinds are the kinds generated links take.
var relationKinds = []string{"COLLABORATES_WITH", "OVERLAPS_WITH", "NEXT_STEP", "PREVIOUS_STEP"}

// GenerateConfig is how the generate command runs.
type GenerateConfig struct {
	URL         string
	Token       string
	Roles       int
	Seed        uint64
	Concurrency int
}

// SalaryInput is the optional salary of a RoleInput.
type SalaryInput struct {
	Currency  string  `json:"currency"`
	Period    string  `json:"period"`
	Min       *int    `json:"min"`
	Median    int     `json:"median"`
	Max       *int    `json:"max"`
	Region    string  `json:"region"`
	Basis     string  `json:"basis"`
	Proxy     bool    `json:"proxy"`
	Source    string  `json:"source"`
	SourceURL *string `json:"sourceUrl"`
	Year      int     `json:"year"`
}

// RoleInput is createRole's input, as the schema names its fields.
type RoleInput struct {
	Slug                  string       `json:"slug"`
	Title                 string       `json:"title"`
	Family                string       `json:"family"`
	Tagline               string       `json:"tagline"`
	Description           string       `json:"description"`
	Skills                []string     `json:"skills"`
	Responsibilities      []string     `json:"responsibilities"`
	ToolSlugs             []string     `json:"toolSlugs"`
	Advantages            []string     `json:"advantages"`
	Disadvantages         []string     `json:"disadvantages"`
	GoodFit               string       `json:"goodFit"`
	Conclusion            string       `json:"conclusion"`
	LearningResourceSlugs []string     `json:"learningResourceSlugs"`
	Salary                *SalaryInput `json:"salary,omitempty"`
}

// A Relation is one relateRoles call.
type Relation struct {
	From, To, Kind, Note string
}

// baseRole is an existing role, whose texts generated roles copy: a
// RoleInput without tools and resources.
type baseRole = RoleInput

// catalogBase is what generated roles are made from: existing roles (never
// generated ones), tool slugs and resource slugs, each sorted by slug so the
// server's order does not matter.
type catalogBase struct {
	Roles     []baseRole
	Tools     []string
	Resources []string
}

// roleRand is the random source of the i-th generated role: it depends on
// the seed and i only, so role 17 is the same whether 1,000 or 10,000 are
// made, and a bigger catalog extends a smaller one of the same seed.
func roleRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)*0x9e3779b97f4a7c15+1))
}

// generateCatalog makes n roles and their relations from base. Each role
// copies the texts of a random base role, gets a distinctive title, 6 to 15
// of the tools and 2 to 5 of the resources; each links to 1 to 3 roles, base
// ones or generated ones before it. The same base and seed give the same
// result.
func generateCatalog(base catalogBase, n int, seed uint64) ([]RoleInput, []Relation) {
	roles := make([]RoleInput, 0, n)
	var relations []Relation
	for i := range n {
		rng := roleRand(seed, i)
		like := base.Roles[rng.IntN(len(base.Roles))]
		title := catalog.GeneratedTitle(rng, like.Title, i+1)
		role := like
		role.Slug, role.Title = model.Slugify(title), title
		role.Skills, role.Responsibilities = nonNil(like.Skills), nonNil(like.Responsibilities)
		role.Advantages, role.Disadvantages = nonNil(like.Advantages), nonNil(like.Disadvantages)
		role.ToolSlugs = pick(rng, base.Tools, 6+rng.IntN(10))
		role.LearningResourceSlugs = pick(rng, base.Resources, 2+rng.IntN(4))
		var linked []string
		for range 1 + rng.IntN(3) {
			var to, toTitle string
			if k := rng.IntN(len(base.Roles) + i); k < len(base.Roles) {
				to, toTitle = base.Roles[k].Slug, base.Roles[k].Title
			} else {
				to, toTitle = roles[k-len(base.Roles)].Slug, roles[k-len(base.Roles)].Title
			}
			kind := relationKinds[rng.IntN(len(relationKinds))]
			if slices.Contains(linked, to) {
				continue
			}
			linked = append(linked, to)
			relations = append(relations, Relation{From: role.Slug, To: to, Kind: kind,
				Note: "A generated link between " + title + " and " + toTitle + "."})
		}
		roles = append(roles, role)
	}
	return roles, relations
}

// nonNil returns s, or an empty list for nil: the input's lists are
// non-null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// pick returns n distinct items of from, at random.
func pick(rng *rand.Rand, from []string, n int) []string {
	n = min(n, len(from))
	out := make([]string, 0, n)
	for _, i := range rng.Perm(len(from))[:n] {
		out = append(out, from[i])
	}
	return out
}

// createRoleRequest and relateRequest build the mutations' requests.
func createRoleRequest(r RoleInput) Request {
	return graphQLPost(createRoleMutation, "CreateRole", map[string]any{"input": r})
}

func relateRequest(r Relation) Request {
	return graphQLPost(relateRolesMutation, "RelateRoles", map[string]any{"from": r.From, "to": r.To, "kind": r.Kind, "note": r.Note})
}

// fatalCodes stop generate at once: every other request would fail the same
// way (a wrong token, or a server without the mutations).
var fatalCodes = []string{"UNAUTHENTICATED", "FORBIDDEN", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}

// errFatal marks an error that stops generate.
var errFatal = errors.New("stopping")

// outcome is what one mutation did.
type outcome int

const (
	done    outcome = iota // written
	already                // createRole's CONFLICT: the slug is taken, counted as already there
	failed                 // any other error, a CONFLICT of relateRoles included
)

// mutate sends one mutation and classifies the answer. A CONFLICT is
// onConflict: already for createRole, failed for relateRoles (concurrent
// edits never conflict; relating two roles again only sets the link's kind
// and note). A fatal error comes back as err.
func mutate(ctx context.Context, c *client, r Request, onConflict outcome) (outcome, error) {
	resp, err := c.fetch(ctx, r)
	if err != nil {
		return failed, err
	}
	var data map[string]any
	err = decodeData(resp, &data)
	var re *responseError
	switch {
	case err == nil:
		return done, nil
	case errors.As(err, &re) && re.code() == "CONFLICT":
		return onConflict, err
	case errors.As(err, &re) && re.code() == "GRAPHQL_VALIDATION_FAILED":
		return failed, fmt.Errorf("%w: the server refuses the mutation; does it have createRole and relateRoles yet? %w", errFatal, err)
	case errors.As(err, &re) && slices.Contains(fatalCodes, re.code()):
		return failed, fmt.Errorf("%w: %w", errFatal, err)
	default:
		return failed, err
	}
}

// roleTitle is a role as the listing of every role reads it.
type roleTitle struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

// readBase reads what generated roles are made from.
func readBase(ctx context.Context, c *client, conc int) (catalogBase, error) {
	var base catalogBase
	var titles []roleTitle
	err := walkPages(ctx, c.fetch, roleTitlesQuery, "BenchRoleTitles", "roles", func(p page[roleTitle]) bool {
		for _, n := range p.Nodes {
			if !catalog.IsGeneratedTitle(n.Title) {
				titles = append(titles, n)
			}
		}
		return len(p.Nodes) > 0
	})
	if err != nil {
		return base, fmt.Errorf("listing roles: %w", err)
	}
	if len(titles) == 0 {
		return base, errors.New("the server has no roles to copy")
	}
	slices.SortFunc(titles, func(a, b roleTitle) int { return strings.Compare(a.Slug, b.Slug) })

	base.Roles = make([]baseRole, len(titles))
	var next atomic.Int64
	errs := make([]error, len(titles))
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(titles); i = int(next.Add(1)) - 1 {
				resp, err := c.fetch(ctx, graphQLPost(baseRoleQuery, "BenchBaseRole", map[string]any{"slug": titles[i].Slug}))
				if err == nil {
					var data struct {
						Role *baseRole `json:"role"`
					}
					if err = decodeData(resp, &data); err == nil && data.Role == nil {
						err = fmt.Errorf("role %q vanished", titles[i].Slug)
					} else if err == nil {
						base.Roles[i] = *data.Role
					}
				}
				errs[i] = err
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return base, fmt.Errorf("reading roles: %w", err)
	}

	if base.Tools, err = collectSlugs(ctx, c.fetch, toolSlugsQuery, "BenchToolSlugs", "tools", 1<<30); err != nil {
		return base, fmt.Errorf("listing tools: %w", err)
	}
	if base.Resources, err = collectSlugs(ctx, c.fetch, resourceSlugsQuery, "BenchResourceSlugs", "learningResources", 1<<30); err != nil {
		return base, fmt.Errorf("listing learning resources: %w", err)
	}
	if len(base.Tools) == 0 || len(base.Resources) == 0 {
		return base, errors.New("the server has no tools or no learning resources to pick from")
	}
	slices.Sort(base.Tools)
	slices.Sort(base.Resources)
	return base, nil
}

// linksQuery lists the roles with the slugs of the roles each is linked
// to. Walking the whole list (a page of 100 is one request, its links read
// in a batch) is much cheaper than asking for the roles one by one.
const linksQuery = `query BenchLinks($after: String) { roles(first: 100, after: $after) { nodes { slug relatedRoles { role { slug } } } pageInfo { hasNextPage endCursor } } }`

// readLinks returns, for each of slugs, the slugs of the roles it is
// linked to.
func readLinks(ctx context.Context, c *client, slugs []string, progress io.Writer) (map[string]map[string]bool, error) {
	out := make(map[string]map[string]bool, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	fmt.Fprintf(progress, "reading the links of the %d roles already there ...\n", len(slugs))
	want := map[string]bool{}
	for _, s := range slugs {
		want[s] = true
	}
	type linksNode struct {
		Slug         string `json:"slug"`
		RelatedRoles []struct {
			Role roleTitle `json:"role"`
		} `json:"relatedRoles"`
	}
	err := walkPages(ctx, c.fetch, linksQuery, "BenchLinks", "roles", func(p page[linksNode]) bool {
		for _, n := range p.Nodes {
			if want[n.Slug] {
				linked := map[string]bool{}
				for _, r := range n.RelatedRoles {
					linked[r.Role.Slug] = true
				}
				out[n.Slug] = linked
			}
		}
		return len(p.Nodes) > 0
	})
	if err != nil {
		return nil, fmt.Errorf("reading links: %w", err)
	}
	return out, nil
}

// tally counts the outcomes of a batch of mutations.
type tally struct {
	done, already, failed atomic.Int64
	mu                    sync.Mutex
	firstErr              error
}

func (t *tally) String() string {
	return fmt.Sprintf("%d written, %d already there, %d failed", t.done.Load(), t.already.Load(), t.failed.Load())
}

// sendAll sends every request, conc at a time, and calls settle with each
// one's outcome; a CONFLICT is onConflict. It stops at the first fatal
// error, and prints progress every five seconds.
func sendAll(ctx context.Context, c *client, what string, reqs []Request, conc int, onConflict outcome, settle func(i int, o outcome), progress io.Writer) (*tally, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	t := &tally{}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				n := t.done.Load() + t.already.Load() + t.failed.Load()
				fmt.Fprintf(progress, "%s: %d/%d (%s), %.0f/s\n", what, n, len(reqs), t, float64(n)/time.Since(start).Seconds())
			}
		}
	}()
	for range conc {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(reqs) && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				o, err := mutate(ctx, c, reqs[i], onConflict)
				switch o {
				case done:
					t.done.Add(1)
				case already:
					t.already.Add(1)
				default:
					t.failed.Add(1)
					t.mu.Lock()
					if t.firstErr == nil {
						t.firstErr = err
					}
					t.mu.Unlock()
					if errors.Is(err, errFatal) {
						cancel(err)
					}
				}
				settle(i, o)
			}
		})
	}
	wg.Wait()
	close(stop)
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return t, cause
	}
	if err := ctx.Err(); err != nil {
		return t, err
	}
	return t, nil
}

// rate writes n per d, per second.
func rate(n int, d time.Duration) string {
	return fmt.Sprintf("%.1f/s", float64(n)/max(d.Seconds(), 1e-9))
}

// generate reads the base catalog, makes cfg.Roles roles and loads them
// with their relations through the API.
func generate(ctx context.Context, cfg GenerateConfig, progress io.Writer) error {
	if cfg.Token == "" {
		return errors.New("no token: pass -token or set FINDER_ADMIN_TOKEN")
	}
	c := newClient(cfg.URL, cfg.Concurrency)
	c.extra = http.Header{"Authorization": {"Bearer " + cfg.Token}}
	defer c.close()

	start := time.Now()
	base, err := readBase(ctx, c, cfg.Concurrency)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "base: %d roles, %d tools, %d learning resources\n", len(base.Roles), len(base.Tools), len(base.Resources))
	roles, relations := generateCatalog(base, cfg.Roles, cfg.Seed)

	// First every role, so that every link finds both its ends.
	reqs := make([]Request, len(roles))
	for i, r := range roles {
		reqs[i] = createRoleRequest(r)
	}
	state := make([]outcome, len(roles))
	t0 := time.Now()
	rt, err := sendAll(ctx, c, "roles", reqs, cfg.Concurrency, already, func(i int, o outcome) { state[i] = o }, progress)
	if err != nil {
		return fmt.Errorf("creating roles (%s): %w", rt, err)
	}
	roleTime := time.Since(t0)

	// Then the links, between roles that exist. For a role that was already
	// there (an earlier run made it), only the links it does not have yet:
	// so a run that was stopped halfway is completed by running it again.
	usable := map[string]bool{}
	for _, b := range base.Roles {
		usable[b.Slug] = true
	}
	var existing []string
	for i, r := range roles {
		usable[r.Slug] = state[i] != failed
		if state[i] == already {
			existing = append(existing, r.Slug)
		}
	}
	linked, err := readLinks(ctx, c, existing, progress)
	if err != nil {
		return err
	}
	var links []Request
	for _, rel := range relations {
		if usable[rel.From] && usable[rel.To] && !linked[rel.From][rel.To] {
			links = append(links, relateRequest(rel))
		}
	}
	t0 = time.Now()
	lt, err := sendAll(ctx, c, "relations", links, cfg.Concurrency, failed, func(int, outcome) {}, progress)
	if err != nil {
		return fmt.Errorf("relating roles (%s): %w", lt, err)
	}
	linkTime := time.Since(t0)

	fmt.Fprintf(progress, "roles: %s in %v, %s\n", rt, roleTime.Round(time.Millisecond), rate(len(roles), roleTime))
	fmt.Fprintf(progress, "relations: %s in %v, %s\n", lt, linkTime.Round(time.Millisecond), rate(len(links), linkTime))
	for _, t := range []*tally{rt, lt} {
		if t.firstErr != nil {
			fmt.Fprintf(progress, "first failure: %v\n", t.firstErr)
		}
	}
	fmt.Fprintf(progress, "done in %v\n", time.Since(start).Round(time.Millisecond))
	if rt.failed.Load()+lt.failed.Load() > 0 {
		return fmt.Errorf("%d roles and %d relations failed", rt.failed.Load(), lt.failed.Load())
	}
	return nil
}
