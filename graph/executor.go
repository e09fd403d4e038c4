package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/finder-platform/finder/graph/generated"
	"github.com/finder-platform/finder/loaders"
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
	// Loaders configure each request's dataloaders.
	Loaders loaders.Options
}

// Executor runs GraphQL requests and returns their answers, encoded, with
// what running them showed; the HTTP edge decides what to do with both.
type Executor struct {
	exec *executor.Executor
	o    Options
}

// Call is one request to run: the view of the catalog it reads, and the
// client's rate limit budget before it (nil when limits are off), which a
// keyed request's answer reports.
type Call struct {
	Reader model.CatalogReader
	Budget *model.Budget
}

// Result is a request's answer, and what running it showed: for the
// access log, the metrics, the rate limit and the caches.
type Result struct {
	Status      int
	ContentType string
	Allow       string // the Allow header of a 405
	Body        []byte
	// Operation is the operation's name, or its type when it has none.
	Operation string
	// Cost is the query's cost, as the limits count it (also when a limit
	// refused it).
	Cost int
	// Outcome is "ok", "error" (it ran, with errors), or the code that
	// refused the request before it ran.
	Outcome string
	// MaxAge is how long, in seconds, the answer may be given to anyone who
	// sends the same request; 0 when it may not be shared.
	MaxAge int
}

// NewExecutor returns the GraphQL endpoint: GraphQL over HTTP (transport.go),
// query limits (limits.go), automatic persisted queries, and errors that
// always have a code, with internal ones logged under the request id.
func NewExecutor(r *Resolver, logger *slog.Logger, o Options) *Executor {
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r, Complexity: costs(),
		Directives: generated.DirectiveRoot{RequiresScope: requiresScope}})
	x := executor.New(es)
	// Parsed and validated queries, by query text: clients send the same few.
	x.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// Persisted queries are kept per instance: a client whose hash an
	// instance does not know is told so and sends the query again.
	x.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if o.Limits.MaxTokens > 0 {
		x.SetParserTokenLimit(o.Limits.MaxTokens)
	}
	if o.Introspection {
		x.Use(extension.Introspection{})
	} else {
		x.SetDisableSuggestion(true)
	}
	if o.Limits != (Limits{}) {
		x.Use(&limiter{limits: o.Limits, onReject: o.OnReject})
	}
	x.SetErrorPresenter(presentError(logger, es.Schema(), o))
	x.SetRecoverFunc(recoverPanic(logger))
	x.AroundFields(splitErrors)
	return &Executor{exec: x, o: o}
}

// Execute runs the GraphQL request r on c's view of the catalog.
func (x *Executor) Execute(ctx context.Context, r *http.Request, c Call) Result {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		return refused(mediaJSON, http.StatusNotAcceptable, model.CodeBadUserInput,
			"The Accept header must allow application/graphql-response+json or application/json.")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		res := refused(media, http.StatusMethodNotAllowed, model.CodeBadUserInput,
			fmt.Sprintf("/graphql does not take %s: send queries with GET or POST, and mutations with POST.", r.Method))
		res.Allow = "GET, POST, OPTIONS"
		return res
	}
	params, status, err := readParams(r)
	if err != nil {
		return refused(media, status, model.CodeBadUserInput, err.Error())
	}
	params.Headers = r.Header
	params.ReadTime.Start = graphql.Now()
	params.ReadTime.End = graphql.Now()

	ctx = graphql.StartOperationTrace(loaders.WithLoaders(ctx, loaders.New(c.Reader, x.o.Loaders)))
	opCtx, errs := x.exec.CreateOperationContext(ctx, params)
	report, _ := opCtx.Stats.GetExtension("cost").(*costReport)
	if errs != nil {
		status := http.StatusOK
		if media == mediaGraphQLResponse && !persistedQueryMissing(errs) {
			status = http.StatusBadRequest
		}
		res := x.result(media, status, x.exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs), opCtx, report)
		if code, _ := errs[0].Extensions["code"].(string); code != "" {
			res.Outcome = code
		}
		return res
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		res := refused(media, http.StatusMethodNotAllowed, model.CodeBadUserInput,
			fmt.Sprintf("A %s must be sent with POST: GET may only read.", opCtx.Operation.Operation))
		res.Allow = "POST"
		return res
	}
	responses, ctx := x.exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if report != nil {
		if c.Budget != nil && model.ViewerFrom(ctx) != nil {
			report.ThrottleStatus = &throttleStatus{MaximumAvailable: c.Budget.Capacity,
				CurrentlyAvailable: max(c.Budget.Available-report.RequestedQueryCost, 0), RestoreRate: c.Budget.RefillPerSecond}
		}
		extend(resp, "cost", report)
	}
	if x.o.Staleness != nil {
		if age, stale := x.o.Staleness(); stale {
			extend(resp, "catalog", map[string]any{
				"stale":      true,
				"ageSeconds": int(age.Seconds()),
				"asOf":       time.Now().Add(-age).UTC().Format(time.RFC3339),
				"message":    "The catalog's database is not answering: this answer comes from the copy in memory, as it was then.",
			})
		}
	}
	res := x.result(media, http.StatusOK, resp, opCtx, report)
	res.Outcome = "ok"
	if len(resp.Errors) > 0 {
		res.Outcome = "error"
	} else if opCtx.Operation.Operation == ast.Query && model.ViewerFrom(ctx) == nil {
		res.MaxAge = rootMaxAge(opCtx.Operation.SelectionSet)
	}
	return res
}

// result encodes resp, with the operation's name and cost.
func (x *Executor) result(media string, status int, resp *graphql.Response, opCtx *graphql.OperationContext, report *costReport) Result {
	res := Result{Status: status, ContentType: media + "; charset=utf-8", Body: encode(resp)}
	if opCtx.Operation != nil {
		res.Operation = operationName(opCtx)
	}
	if report != nil {
		res.Cost = report.RequestedQueryCost
	}
	return res
}

// refused is the answer to a request refused before it is a GraphQL
// operation: a wrong method, media type or body.
func refused(media string, status int, code model.ErrorCode, message string) Result {
	return Result{Status: status, ContentType: media + "; charset=utf-8", Outcome: string(code),
		Body: encode(&graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": string(code)}}}})}
}

func extend(resp *graphql.Response, key string, value any) {
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions[key] = value
}

// maxAges say how long an anonymous answer stays fresh for caches (the
// server's own, browsers', CDNs'), by the root fields it asks for: what
// changes least (a role card) longest. An answer lasts as long as its
// shortest-lived field. Fields not listed are never shared.
var maxAges = map[string]int{
	"role": 300, "tool": 300, "learningResource": 300, "node": 300,
	"roles": 60, "tools": 60, "learningResources": 60, "search": 60,
	"careerPath": 300, "compareRoles": 300, "matchRoles": 60, "toolUsage": 60,
	"changes":  10, // followed by polling: a change is news for a short while
	"__schema": 3600, "__type": 3600, "__typename": 3600,
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
