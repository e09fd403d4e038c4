package graph

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/finder-platform/finder/graph/generated"
	"github.com/finder-platform/finder/model"
)

// Options configure the GraphQL endpoint.
type Options struct {
	Limits Limits
	// Introspection lets clients read the schema (__schema, __type) and
	// get "did you mean" suggestions; off for a locked-down deployment.
	Introspection bool
	// OnError is told the code of every error a client sees.
	OnError func(code string)
	// OnReject is told which limit refused a query.
	OnReject func(limit string)
	// Staleness, when set, says how old the data the server answers from
	// is, if it is older than it should be: the store is away and the
	// answers come from memory.
	Staleness func() (age time.Duration, stale bool)
	// Secrets are strings no error message may repeat (the admin token);
	// API key secrets and unsubscribe tokens are recognised by their form.
	Secrets []string
}

// NewHandler returns the GraphQL endpoint: GraphQL over HTTP (transport.go),
// query limits (limits.go), automatic persisted queries, and errors that
// always have a code, with internal ones logged under the request id.
func NewHandler(r *Resolver, logger *slog.Logger, o Options) http.Handler {
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r, Complexity: costs(),
		Directives: generated.DirectiveRoot{RequiresScope: requiresScope}})
	h := handler.New(es)
	h.AddTransport(transport.Options{})
	h.AddTransport(httpTransport{})
	// Parsed and validated queries, by query text: clients send the same few.
	h.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// Persisted queries are kept per instance: a client whose hash an
	// instance does not know is told so and sends the query again.
	h.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if o.Limits.MaxTokens > 0 {
		h.SetParserTokenLimit(o.Limits.MaxTokens)
	}
	if o.Introspection {
		h.Use(extension.Introspection{})
	} else {
		h.SetDisableSuggestion(true)
	}
	if o.Limits != (Limits{}) {
		h.Use(&limiter{limits: o.Limits, onReject: o.OnReject})
	}
	h.SetErrorPresenter(presentError(logger, es.Schema(), o))
	h.SetRecoverFunc(recoverPanic(logger))
	h.AroundFields(splitErrors)
	h.AroundResponses(reportCost)
	h.AroundResponses(sharing)
	if o.Staleness != nil {
		h.AroundResponses(reportStaleness(o.Staleness))
	}
	return h
}

// reportStaleness tells clients, in extensions.catalog, when the answer
// comes from data the server could not check with the store lately.
func reportStaleness(staleness func() (time.Duration, bool)) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if age, stale := staleness(); stale && resp != nil {
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["catalog"] = map[string]any{
				"stale":      true,
				"ageSeconds": int(age.Seconds()),
				"asOf":       time.Now().Add(-age).UTC().Format(time.RFC3339),
				"message":    "The catalog's database is not answering: this answer comes from the copy in memory, as it was then.",
			}
		}
		return resp
	}
}

// maxAges say how long an anonymous answer stays fresh for caches (the
// server's own, browsers', CDNs'), by the root fields it asks for: what
// changes least (a role card) longest. An answer lasts as long as its
// shortest-lived field. Fields not listed are never shared.
var maxAges = map[string]int{
	"role": 300, "tool": 300, "learningResource": 300, "node": 300,
	"roles": 60, "tools": 60, "learningResources": 60, "search": 60,
	"careerPath": 300, "compareRoles": 300, "matchRoles": 60, "toolUsage": 60,
	"__schema": 3600, "__type": 3600, "__typename": 3600,
}

// sharing records whether the answer may be shared and for how long: only
// an anonymous query that answered without errors, and only for as long as
// its root fields allow.
func sharing(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	op := graphql.GetOperationContext(ctx).Operation
	outcome := "ok"
	if len(resp.Errors) > 0 {
		outcome = "error"
	}
	age := -1
	if op != nil && op.Operation == ast.Query && len(resp.Errors) == 0 && model.ViewerFrom(ctx) == nil {
		age = rootMaxAge(op.SelectionSet)
	}
	model.RequestInfoFrom(ctx).Update(func(i *model.RequestFacts) {
		if i.Outcome == "" {
			i.Outcome = outcome
		}
		i.Shareable, i.MaxAge = age > 0, max(age, 0)
	})
	return resp
}

// rootMaxAge is the shortest max age of the root fields, 0 if any is not
// to be shared.
func rootMaxAge(set ast.SelectionSet) int {
	age := -1
	for _, sel := range set {
		var a int
		switch s := sel.(type) {
		case *ast.Field:
			a = maxAges[s.Name]
		case *ast.InlineFragment:
			a = rootMaxAge(s.SelectionSet)
		case *ast.FragmentSpread:
			a = rootMaxAge(s.Definition.SelectionSet)
		}
		if age < 0 || a < age {
			age = a
		}
	}
	return max(age, 0)
}
