package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/finder-platform/finder/model"
)

// roleNamed reads a role by slug; a slug no role has is NOT_FOUND.
func roleNamed(ctx context.Context, field, slug string) (*model.Role, error) {
	var role *model.Role
	var err error
	if plausibleSlug(slug) {
		role, err = reader(ctx).RoleBySlug(ctx, slug)
	}
	if err == nil && role == nil {
		return nil, &model.Error{Code: model.CodeNotFound, Field: field, Message: "no role has " + model.SlugPhrase(slug)}
	}
	return role, err
}

// rolesNamed reads the 2 to 4 roles a comparison names.
func rolesNamed(ctx context.Context, slugs []string) ([]*model.Role, error) {
	if len(slugs) < 2 || len(slugs) > 4 {
		return nil, model.FieldErrorf("slugs", "must name 2 to 4 roles, not %d", len(slugs))
	}
	roles := make([]*model.Role, len(slugs))
	for i, s := range slugs {
		r, err := roleNamed(ctx, fmt.Sprintf("slugs[%d]", i), s)
		if err != nil {
			return nil, err
		}
		roles[i] = r
	}
	return roles, nil
}

// toolsNamed reads the tools a person names. Unknown slugs are reported as
// errors beside the answer, which goes on with the others.
func toolsNamed(ctx context.Context, slugs []string) ([]*model.Tool, error) {
	named, err := toolsBySlug(ctx, "toolSlugs", slugs)
	if err != nil {
		return nil, err
	}
	var tools []*model.Tool
	for i, s := range slugs {
		if t := named[i]; t != nil {
			tools = append(tools, t)
			continue
		}
		graphql.AddError(ctx, model.FieldErrorf(fmt.Sprintf("toolSlugs[%d]", i), "no tool has %s, so it was left out of the match", model.SlugPhrase(s)))
	}
	return tools, nil
}

// checkSkills bounds the skills a person may name.
func checkSkills(skills []string) error {
	if len(skills) > model.MaxItems {
		return model.FieldErrorf("skills", "must have at most %d items", model.MaxItems)
	}
	for i, s := range skills {
		if err := checkText(fmt.Sprintf("skills[%d]", i), s); err != nil {
			return err
		}
	}
	return nil
}
