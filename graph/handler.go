package graph

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/finder-platform/finder/graph/generated"
	"github.com/finder-platform/finder/respcache"
)

// NewHandler returns the GraphQL endpoint: GET and POST per the
// GraphQL-over-HTTP spec, with every error given a code and internal ones
// logged under the request id.
func NewHandler(r *Resolver, logger *slog.Logger) http.Handler {
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r,
		Directives: generated.DirectiveRoot{RequiresScope: requiresScope}})
	h := handler.New(es)
	h.AddTransport(transport.Options{})
	h.AddTransport(transport.GET{})
	h.AddTransport(transport.POST{})
	// Parsed and validated queries, by query text: clients send the same few.
	h.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	h.Use(extension.Introspection{})
	h.SetErrorPresenter(presentError(logger, es.Schema()))
	h.SetRecoverFunc(recoverPanic(logger))
	h.AroundFields(splitErrors)
	h.AroundResponses(allowCaching)
	return h
}

// allowCaching tells the response cache it may keep the answer to a query
// that had no errors. Mutations, and answers with errors (which may come
// from a store that failed just then), are never kept.
func allowCaching(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && len(resp.Errors) == 0 && graphql.HasOperationContext(ctx) {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Query {
			respcache.Allow(ctx)
		}
	}
	return resp
}
