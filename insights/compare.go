package insights

import (
	"context"
	"slices"
	"strings"

	"github.com/finder-platform/finder/model"
)

// Compare sets roles side by side: the tools and skills every one of them
// has, and what each has that none of the others does. Skills are compared
// ignoring case and punctuation. A role may be given twice; it then shares
// everything with itself.
func Compare(ctx context.Context, r model.CatalogReader, roles []*model.Role) (*model.RoleComparison, error) {
	var ids []string
	for _, role := range roles {
		ids = append(ids, role.ToolIDs...)
	}
	tools, err := toolsByID(ctx, r, ids)
	if err != nil {
		return nil, err
	}
	c := &model.RoleComparison{Roles: roles, SharedTools: []*model.Tool{}, SharedSkills: []string{}}
	for _, id := range roles[0].ToolIDs {
		if tools[id] != nil && all(roles, func(o *model.Role) bool { return slices.Contains(o.ToolIDs, id) }) {
			c.SharedTools = append(c.SharedTools, tools[id])
		}
	}
	for _, s := range roles[0].Skills {
		if all(roles, func(o *model.Role) bool { return hasSkill(o, s) }) {
			c.SharedSkills = append(c.SharedSkills, s)
		}
	}
	for i, role := range roles {
		others := slices.Delete(slices.Clone(roles), i, i+1)
		d := model.RoleDifference{Role: role, Tools: []*model.Tool{}, Skills: []string{}}
		for _, id := range role.ToolIDs {
			if tools[id] != nil && !any(others, func(o *model.Role) bool { return slices.Contains(o.ToolIDs, id) }) {
				d.Tools = append(d.Tools, tools[id])
			}
		}
		for _, s := range role.Skills {
			if !any(others, func(o *model.Role) bool { return hasSkill(o, s) }) {
				d.Skills = append(d.Skills, s)
			}
		}
		c.Only = append(c.Only, d)
	}
	return c, nil
}

// hasSkill reports whether the role lists the skill, ignoring case and
// punctuation.
func hasSkill(r *model.Role, skill string) bool {
	want := strings.Join(model.Words(skill), " ")
	return slices.ContainsFunc(r.Skills, func(s string) bool { return strings.Join(model.Words(s), " ") == want })
}

func all(roles []*model.Role, f func(*model.Role) bool) bool {
	return !slices.ContainsFunc(roles, func(r *model.Role) bool { return !f(r) })
}

func any(roles []*model.Role, f func(*model.Role) bool) bool { return slices.ContainsFunc(roles, f) }
