package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/finder-platform/finder/graph/gqlmodel"
	"github.com/finder-platform/finder/loaders"
	"github.com/finder-platform/finder/model"
)

// requiresScope implements the schema's @requiresScope directive.
func requiresScope(ctx context.Context, _ any, next graphql.Resolver, scope model.Scope) (any, error) {
	if err := model.Require(ctx, scope); err != nil {
		return nil, err
	}
	return next(ctx)
}

// idOf reads a global id that must name an entry of type typ.
func idOf(field, id, typ string) (string, error) {
	t, raw, err := model.ParseGlobalID(field, id)
	if err != nil {
		return "", err
	}
	if t != typ {
		return "", model.FieldErrorf(field, "is the id of a %s, not of a %s", t, typ)
	}
	return raw, nil
}

// afterWrite makes the rest of the request see the catalog as a mutation
// left it: after a write that succeeded, the loaders read a view that
// includes it, and forget everything they read before. A write that failed
// changed nothing, so the view stays. If no new view can be had (the store
// stopped answering just after the write), the request goes on with the
// view it had; the write stands either way.
func (r *Resolver) afterWrite(ctx context.Context, writeErr error) {
	view := reader(ctx)
	if writeErr == nil {
		if fresh, err := r.Refresh(ctx); err == nil {
			view = fresh
		}
	}
	loaders.For(ctx).Reset(view)
}

// roleWritten passes a mutation's role through, after afterWrite, and
// hands it to the loaders so that the answer's fields read it as written.
func (r *Resolver) roleWritten(ctx context.Context) func(*model.Role, error) (*model.Role, error) {
	return func(role *model.Role, err error) (*model.Role, error) {
		r.afterWrite(ctx, err)
		if err != nil {
			return nil, err
		}
		loaders.For(ctx).RoleByID.Prime(role.ID, role)
		return role, nil
	}
}

// deref turns a nullable string argument into a string.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// subscribe checks consent and the address, then subscribes it.
func subscribe(ctx context.Context, w model.CatalogWriter, email string, consent bool) (*gqlmodel.NewsletterSubscription, error) {
	if !consent {
		return nil, model.FieldErrorf("consent", "must be true: we only add people who agree to receive the newsletter")
	}
	addr, err := model.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	sub, token, err := w.Subscribe(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &gqlmodel.NewsletterSubscription{ID: sub.ID, Email: sub.Email, SubscribedAt: sub.SubscribedAt, UnsubscribeToken: token}, nil
}
