package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/finder-platform/finder/model"
)

// presentError gives every error a code and a sentence for a person. A
// model.Error says what went wrong in the client's terms; a protocol error
// (parse, validation) keeps gqlgen's code; anything else is internal: it is
// logged in full under the request id and the client sees only that id.
func presentError(logger *slog.Logger, schema *ast.Schema, o Options) graphql.ErrorPresenterFunc {
	present := func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if me, ok := errors.AsType[*model.Error](err); ok {
			gqlErr.Message = me.Error()
			setExtension(gqlErr, "code", string(me.Code))
			if me.Field != "" {
				setExtension(gqlErr, "field", me.Field)
			}
			if me.Code == model.CodeServiceUnavailable {
				logger.WarnContext(ctx, "store unavailable", "request_id", model.RequestID(ctx), "path", gqlErr.Path.String(), "error", err)
			}
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok && code != "" {
			return protocolError(gqlErr, schema, o.Limits.MaxTokens)
		}
		if !o.Introspection && introspects(gqlErr.Path) {
			// gqlgen refuses with an error of no code; it is the client's
			// question, not our fault.
			gqlErr.Message = "This server does not answer questions about its schema (__schema, __type): introspection is turned off here."
			setExtension(gqlErr, "code", string(model.CodeForbidden))
			return gqlErr
		}
		return internalError(ctx, logger, gqlErr.Path, err)
	}
	return func(ctx context.Context, err error) *gqlerror.Error {
		e := present(ctx, err)
		e.Message = redact(e.Message, o.Secrets)
		if o.OnError != nil {
			code, _ := e.Extensions["code"].(string)
			o.OnError(code)
		}
		return e
	}
}

// introspects reports whether an error's path is a root introspection
// field.
func introspects(path ast.Path) bool {
	return len(path) == 1 && (path[0] == ast.PathName("__schema") || path[0] == ast.PathName("__type"))
}

// internalError logs err and returns what a client may see of it.
func internalError(ctx context.Context, logger *slog.Logger, path ast.Path, err error) *gqlerror.Error {
	id := model.RequestID(ctx)
	logger.ErrorContext(ctx, "internal error", "request_id", id, "path", path.String(), "error", err)
	return &gqlerror.Error{
		Message: fmt.Sprintf("Something went wrong on our side and the request could not be completed. If it keeps happening, tell us the request id %s.", id),
		Path:    path,
		Extensions: map[string]any{
			"code":      string(model.CodeInternal),
			"requestId": id,
		},
	}
}

// secretForm is what the platform's generated secrets look like: an API
// key's (fk_) and a newsletter unsubscribe token (fu_), 24 random bytes in
// URL-safe base64.
var secretForm = regexp.MustCompile(`\bf[ku]_[A-Za-z0-9_-]{20,}`)

// redact hides secrets in a message. Messages quote what a client sent
// (gqlparser's "cannot represent" errors do), and what a client sent may be
// a secret pasted into the wrong place; the message must not carry it into
// a shared screenshot or a proxy's log.
func redact(msg string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return secretForm.ReplaceAllString(msg, "[redacted]")
}

// recoverPanic turns a resolver's panic into an internal error with a stack
// in the log.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic", "request_id", model.RequestID(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errors.New("panic in resolver")
	}
}

// protocolError gives gqlparser's errors a clear code and message: the
// token limit is QUERY_TOO_COMPLEX, and an enum value that does not exist
// is BAD_USER_INPUT naming the values that do.
//
// enumMessages are gqlparser's ways of saying a value is not one of an
// enum's: in a query literal, as a string literal, and in a variable.
var enumMessages = []*regexp.Regexp{
	regexp.MustCompile(`^Value "[^"]*" does not exist in "([^"]+)" enum`),
	regexp.MustCompile(`^Enum "([^"]+)" cannot represent non-enum value`),
	regexp.MustCompile(`^.* is not a valid (\w+)$`),
}

func protocolError(e *gqlerror.Error, schema *ast.Schema, maxTokens int) *gqlerror.Error {
	if strings.Contains(e.Message, "exceeded token limit") {
		e.Message = fmt.Sprintf("The query is too complex: it is longer than the tokens limit of %d GraphQL tokens. Ask for fewer fields.", maxTokens)
		e.Extensions = map[string]any{"code": string(model.CodeQueryTooComplex), "limit": "tokens", "max": maxTokens}
		return e
	}
	for _, re := range enumMessages {
		m := re.FindStringSubmatch(e.Message)
		if m == nil {
			continue
		}
		def := schema.Types[strings.Trim(m[1], "[]!")]
		if def == nil || def.Kind != ast.Enum {
			continue
		}
		values := make([]string, len(def.EnumValues))
		for i, v := range def.EnumValues {
			values[i] = v.Name
		}
		e.Message = fmt.Sprintf("%s; %s accepts %s.", strings.TrimSuffix(e.Message, "."), def.Name, strings.Join(values, ", "))
		setExtension(e, "code", string(model.CodeBadUserInput))
		break
	}
	return e
}

// splitErrors reports every problem of a model.Errors as its own GraphQL
// error, so a client can show each next to its field.
func splitErrors(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if es, ok := errors.AsType[model.Errors](err); ok && len(es) > 1 {
		for _, e := range es[1:] {
			graphql.AddError(ctx, e)
		}
		return res, es[0]
	}
	return res, err
}

func setExtension(e *gqlerror.Error, key string, value any) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions[key] = value
}
