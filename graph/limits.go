package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/finder-platform/finder/model"
)

// Limits bound what one query may ask for. A query over any of them is
// refused with QUERY_TOO_COMPLEX before it runs, with a message that names
// the limit and says by how much it was exceeded.
type Limits struct {
	MaxDepth   int // how deeply fields may nest
	MaxCost    int // the cost, counted as costs() says
	MaxAliases int // how many fields may be renamed with an alias
	MaxTokens  int // how long the query may be, in GraphQL tokens
}

// limiter is the gqlgen extension that measures each operation and
// enforces Limits. Introspection (__schema, __type) is not counted: it is
// cheap, and GraphiQL's own query nests deeply.
type limiter struct {
	limits   Limits
	reported map[string]int // the limits as extensions.cost reports them; read only
	es       graphql.ExecutableSchema
	onReject func(limit string)
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &limiter{}

func (*limiter) ExtensionName() string { return "FinderLimits" }

func (l *limiter) Validate(es graphql.ExecutableSchema) error {
	l.es = es
	l.reported = map[string]int{"cost": l.limits.MaxCost, "depth": l.limits.MaxDepth,
		"aliases": l.limits.MaxAliases, "tokens": l.limits.MaxTokens}
	return nil
}

// costReport is what extensions.cost says of an accepted query.
type costReport struct {
	RequestedQueryCost int            `json:"requestedQueryCost"`
	Depth              int            `json:"depth"`
	Aliases            int            `json:"aliases"`
	Limits             map[string]int `json:"limits"`
	// ThrottleStatus is the client's rate limit budget; only answers to
	// keyed requests carry it, since anonymous answers are shared.
	ThrottleStatus *throttleStatus `json:"throttleStatus,omitempty"`
}

type throttleStatus struct {
	MaximumAvailable   int     `json:"maximumAvailable"`
	CurrentlyAvailable int     `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
}

// MutateOperationContext measures the operation and refuses it if it is
// over a limit. The measures go into the operation's stats either way: the
// rate limit charges a refused query's cost too.
func (l *limiter) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	w := &walker{ctx: ctx, es: l.es, vars: opCtx.Variables, fragments: map[string]measures{}}
	m := w.set(opCtx.Operation.SelectionSet)
	cost := m.cost
	opCtx.Stats.SetExtension("cost", &costReport{RequestedQueryCost: cost, Depth: m.depth, Aliases: m.aliases, Limits: l.reported})
	for _, c := range []struct {
		limit      string
		value, max int
		what       string
	}{
		{"depth", m.depth, l.limits.MaxDepth, "nests fields %d levels deep"},
		{"aliases", m.aliases, l.limits.MaxAliases, "uses %d aliases"},
		{"cost", cost, l.limits.MaxCost, "would cost %d points"},
	} {
		if c.max > 0 && c.value > c.max {
			if l.onReject != nil {
				l.onReject(c.limit)
			}
			return &gqlerror.Error{
				Message: fmt.Sprintf("The query is too complex: it "+c.what+", and the %s limit is %d (%d over). Ask for fewer fields or smaller pages (`first`).",
					c.value, c.limit, c.max, c.value-c.max),
				Extensions: map[string]any{"code": string(model.CodeQueryTooComplex), "limit": c.limit, "value": c.value, "max": c.max},
			}
		}
	}
	return nil
}

func operationName(opCtx *graphql.OperationContext) string {
	if opCtx.Operation.Name != "" {
		return opCtx.Operation.Name
	}
	return "anonymous " + string(opCtx.Operation.Operation)
}

// measures is the shape of a selection set: the cost of resolving it (as
// costs() counts), how deeply it nests, and how many aliases it uses.
type measures struct{ cost, depth, aliases int }

// walker measures an operation. Each fragment is measured once and its
// measures reused wherever it is spread: a query that spreads fragments
// into fragments would otherwise take time exponential in its length to
// measure (gqlgen's own complexity walk does), before any limit could
// refuse it. Counts saturate instead of overflowing.
type walker struct {
	ctx       context.Context
	es        graphql.ExecutableSchema
	vars      map[string]any
	fragments map[string]measures
}

func (w *walker) set(set ast.SelectionSet) measures {
	var m measures
	add := func(n measures) {
		m.cost, m.aliases = saturate(m.cost, n.cost), saturate(m.aliases, n.aliases)
		m.depth = max(m.depth, n.depth)
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			add(w.field(s))
		case *ast.InlineFragment:
			add(w.set(s.SelectionSet))
		case *ast.FragmentSpread:
			f, ok := w.fragments[s.Name]
			if !ok && s.Definition != nil {
				f = w.set(s.Definition.SelectionSet)
				w.fragments[s.Name] = f
			}
			add(f)
		}
	}
	return m
}

// field measures one field: 1 plus its children, unless costs() says how
// the children multiply. Introspection is free: it is cheap, and GraphiQL's
// own query nests deeply.
func (w *walker) field(f *ast.Field) measures {
	if f.Name == "__schema" || f.Name == "__type" {
		return measures{}
	}
	child := w.set(f.SelectionSet)
	m := measures{depth: child.depth + 1, aliases: child.aliases}
	if f.Alias != "" && f.Alias != f.Name {
		m.aliases = saturate(m.aliases, 1)
	}
	m.cost = saturate(1, child.cost)
	if f.ObjectDefinition != nil {
		if c, ok := w.es.Complexity(w.ctx, f.ObjectDefinition.Name, f.Name, child.cost, f.ArgumentMap(w.vars)); ok && c >= 1 {
			m.cost = c
		}
	}
	return m
}

// countCeiling is where cost and alias counts stop growing: far above any
// limit, far below overflowing.
const countCeiling = 1 << 40

// saturate adds two non-negative counts, stopping at countCeiling.
func saturate(a, b int) int {
	if a >= countCeiling-b {
		return countCeiling
	}
	return a + b
}
