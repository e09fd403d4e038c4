package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// The GraphQL documents of the operations, as the three clients send them.
const (
	// roleCardQuery is a partner site's role card, sent as a GET so that
	// caches and CDNs can keep it.
	roleCardQuery = `query RoleCard($slug: String!) { role(slug: $slug) { slug title tagline skills tools { name } } }`

	// rolePageQuery is the web client's full role page, with the related
	// roles and their tools.
	rolePageQuery = `query RolePage($slug: String!) { role(slug: $slug) { title tagline description skills responsibilities ` +
		`toolGroups { label tools { slug name } } advantages disadvantages goodFit conclusion ` +
		`salary { currency period min median max source sourceUrl year } ` +
		`learningResources { title provider url kind free } ` +
		`relatedRoles { kind note role { slug title tagline tools { slug name } } } } }`

	// roleScanQuery is an analyst walking the whole catalog 50 roles at a
	// time, with tools and relations.
	roleScanQuery = `query RoleScan($after: String) { roles(first: 50, after: $after) { edges { node { slug title family ` +
		`tools { name category } relatedRoles { kind role { slug title } } } } pageInfo { hasNextPage endCursor } } }`

	// searchQuery is the search box of the web client.
	searchQuery = `query Search($q: String!) { search(query: $q, first: 10) { __typename ` +
		`... on Role { slug title } ... on Tool { slug name } ... on LearningResource { slug title } } }`

	// toolQuery is a tool with every role that uses it.
	toolQuery = `query ToolRoles($slug: String!) { tool(slug: $slug) { name category roles { slug title } } }`
)

// The documents discovery uses to learn the catalog: light, so that finding
// 10,000 roles' slugs or scan cursors costs little.
const (
	roleSlugsQuery   = `query BenchRoleSlugs($after: String) { roles(first: 100, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }`
	toolSlugsQuery   = `query BenchToolSlugs($after: String) { tools(first: 100, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }`
	scanCursorsQuery = `query BenchScanCursors($after: String) { roles(first: 50, after: $after) { pageInfo { hasNextPage endCursor } } }`
)

// searchTerms are what people type into the search box.
var searchTerms = []string{
	"backend", "data", "python", "security", "design", "cloud", "machine learning",
	"devops", "react", "sql", "product manager", "kubernetes", "testing", "mobile",
	"javascript", "analyst", "front end", "career change", "ux", "aws",
}

// opNames are the operations, in the order they run and are reported.
var opNames = []string{"card", "page", "scan", "search", "tool"}

// mixWeights is each operation's share of the mixed run, in percent.
var mixWeights = map[string]int{"card": 40, "page": 25, "search": 15, "tool": 10, "scan": 10}

// An Op is one operation: the requests its clients cycle over.
type Op struct {
	Name     string
	Requests []Request
}

// A Plan is every request a load run sends, per operation, in opNames order.
type Plan struct {
	Ops []Op
}

// op returns the plan's operation of that name, or nil.
func (p *Plan) op(name string) *Op {
	for i := range p.Ops {
		if p.Ops[i].Name == name {
			return &p.Ops[i]
		}
	}
	return nil
}

// requests returns every request of the plan, each once.
func (p *Plan) requests() []Request {
	var all []Request
	for _, op := range p.Ops {
		all = append(all, op.Requests...)
	}
	return all
}

// PlanConfig bounds how much of the catalog a run cycles over.
type PlanConfig struct {
	MaxSlugs int // role slugs for card and page
	MaxTools int // tool slugs for tool
	MaxPages int // pages of 50 roles for scan
}

var defaultPlanConfig = PlanConfig{MaxSlugs: 300, MaxTools: 300, MaxPages: 200}

// check says which bound is out of range.
func (p PlanConfig) check() error {
	if p.MaxSlugs < 1 || p.MaxTools < 1 || p.MaxPages < 1 {
		return fmt.Errorf("-max-roles, -max-tools and -max-pages must be at least 1")
	}
	return nil
}

// discover asks the server, through fetch, for the role slugs, the tool
// slugs and the scan's page cursors, and builds every operation's requests.
// The same catalog always gives the same plan, byte for byte: the ceiling
// relies on it.
func discover(ctx context.Context, fetch fetchFunc, cfg PlanConfig) (*Plan, error) {
	roles, err := collectSlugs(ctx, fetch, roleSlugsQuery, "BenchRoleSlugs", "roles", cfg.MaxSlugs)
	if err != nil {
		return nil, fmt.Errorf("listing roles: %w", err)
	}
	if len(roles) == 0 {
		return nil, fmt.Errorf("listing roles: the server has no roles")
	}
	tools, err := collectSlugs(ctx, fetch, toolSlugsQuery, "BenchToolSlugs", "tools", cfg.MaxTools)
	if err != nil {
		return nil, fmt.Errorf("listing tools: %w", err)
	}
	if len(tools) == 0 {
		return nil, fmt.Errorf("listing tools: the server has no tools")
	}
	cursors, err := scanCursors(ctx, fetch, cfg.MaxPages)
	if err != nil {
		return nil, fmt.Errorf("walking the role pages: %w", err)
	}
	return buildPlan(roles, tools, cursors), nil
}

// buildPlan builds the requests of every operation. cursors are the scan's
// "after" values, nil for the first page.
func buildPlan(roleSlugs, toolSlugs []string, cursors []*string) *Plan {
	p := &Plan{}
	for _, name := range opNames {
		op := Op{Name: name}
		switch name {
		case "card":
			for _, s := range roleSlugs {
				op.Requests = append(op.Requests, graphQLGet(roleCardQuery, map[string]any{"slug": s}))
			}
		case "page":
			for _, s := range roleSlugs {
				op.Requests = append(op.Requests, graphQLPost(rolePageQuery, "RolePage", map[string]any{"slug": s}))
			}
		case "scan":
			for _, c := range cursors {
				op.Requests = append(op.Requests, graphQLPost(roleScanQuery, "RoleScan", map[string]any{"after": c}))
			}
		case "search":
			for _, q := range searchTerms {
				op.Requests = append(op.Requests, graphQLPost(searchQuery, "Search", map[string]any{"q": q}))
			}
		case "tool":
			for _, s := range toolSlugs {
				op.Requests = append(op.Requests, graphQLPost(toolQuery, "ToolRoles", map[string]any{"slug": s}))
			}
		}
		p.Ops = append(p.Ops, op)
	}
	return p
}

// graphQLGet builds the GET of a GraphQL document with its variables in the
// URL, as a partner site's role card sends it.
func graphQLGet(query string, variables map[string]any) Request {
	vars, err := json.Marshal(variables)
	if err != nil {
		panic(err)
	}
	q := url.Values{"query": {query}, "variables": {string(vars)}}
	return Request{Method: http.MethodGet, Target: "/graphql?" + q.Encode()}
}

// page is one page of a connection: its nodes and where the next begins.
type page[N any] struct {
	Nodes    []N `json:"nodes"`
	PageInfo struct {
		HasNextPage bool    `json:"hasNextPage"`
		EndCursor   *string `json:"endCursor"`
	} `json:"pageInfo"`
}

type slugNode struct {
	Slug string `json:"slug"`
}

// walkPages reads a connection (field of Query) page after page from its
// start, handing each page to each, until each answers false or the last
// page. query takes the cursor as $after.
func walkPages[N any](ctx context.Context, fetch fetchFunc, query, opName, field string, each func(page[N]) bool) error {
	var after *string
	for {
		resp, err := fetch(ctx, graphQLPost(query, opName, map[string]any{"after": after}))
		if err != nil {
			return err
		}
		var data map[string]page[N]
		if err := decodeData(resp, &data); err != nil {
			return err
		}
		p := data[field]
		if !each(p) || !p.PageInfo.HasNextPage || p.PageInfo.EndCursor == nil {
			return nil
		}
		after = p.PageInfo.EndCursor
	}
}

// collectSlugs pages through a connection (field of Query) and returns up
// to limit slugs, in the server's order.
func collectSlugs(ctx context.Context, fetch fetchFunc, query, opName, field string, limit int) ([]string, error) {
	var slugs []string
	err := walkPages(ctx, fetch, query, opName, field, func(p page[slugNode]) bool {
		for _, n := range p.Nodes {
			slugs = append(slugs, n.Slug)
		}
		return len(p.Nodes) > 0 && len(slugs) < limit
	})
	return slugs[:min(len(slugs), limit)], err
}

// scanCursors walks the roles 50 at a time and returns the "after" of each
// page, starting with nil for the first, up to limit pages.
func scanCursors(ctx context.Context, fetch fetchFunc, limit int) ([]*string, error) {
	cursors := []*string{nil}
	err := walkPages(ctx, fetch, scanCursorsQuery, "BenchScanCursors", "roles", func(p page[struct{}]) bool {
		if len(cursors) < limit && p.PageInfo.HasNextPage && p.PageInfo.EndCursor != nil {
			cursors = append(cursors, p.PageInfo.EndCursor)
		}
		return len(cursors) < limit
	})
	return cursors, err
}
