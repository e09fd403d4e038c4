package insights

import (
	"context"
	"strings"

	"github.com/finder-platform/finder/model"
)

// Compare sets roles side by side: the tools and skills every one of them
// has, and what each has that none of the others does. Skills are compared
// ignoring case and punctuation. A role may be given twice; it then shares
// everything with itself.
func Compare(ctx context.Context, r model.CatalogReader, roles []*model.Role) (*model.RoleComparison, error) {
	tools, err := toolsOf(ctx, r, roles)
	if err != nil {
		return nil, err
	}
	// How many of the roles list each tool and each skill, a role counted
	// once: shared is listed by all of them, only-one's by one.
	toolRoles, skillRoles := map[string]int{}, map[string]int{}
	for _, role := range roles {
		for _, id := range set(role.ToolIDs, func(id string) string { return id }) {
			toolRoles[id]++
		}
		for _, s := range set(role.Skills, skillKey) {
			skillRoles[s]++
		}
	}
	c := &model.RoleComparison{Roles: roles, SharedTools: []*model.Tool{}, SharedSkills: []string{}}
	for _, id := range roles[0].ToolIDs {
		if tools[id] != nil && toolRoles[id] == len(roles) {
			c.SharedTools = append(c.SharedTools, tools[id])
		}
	}
	for _, s := range roles[0].Skills {
		if skillRoles[skillKey(s)] == len(roles) {
			c.SharedSkills = append(c.SharedSkills, s)
		}
	}
	for _, role := range roles {
		d := model.RoleDifference{Role: role, Tools: []*model.Tool{}, Skills: []string{}}
		for _, id := range role.ToolIDs {
			if tools[id] != nil && toolRoles[id] == 1 {
				d.Tools = append(d.Tools, tools[id])
			}
		}
		for _, s := range role.Skills {
			if skillRoles[skillKey(s)] == 1 {
				d.Skills = append(d.Skills, s)
			}
		}
		c.Only = append(c.Only, d)
	}
	return c, nil
}

// skillKey is a skill ignoring case and punctuation, as skills are compared.
func skillKey(skill string) string { return strings.Join(model.Words(skill), " ") }

// set returns the distinct keys of items.
func set[T any](items []T, key func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if k := key(it); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// toolsOf reads every tool the roles list, by id.
func toolsOf(ctx context.Context, r model.CatalogReader, roles []*model.Role) (map[string]*model.Tool, error) {
	var ids []string
	for _, role := range roles {
		ids = append(ids, role.ToolIDs...)
	}
	return toolsByID(ctx, r, ids)
}
