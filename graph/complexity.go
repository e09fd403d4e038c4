package graph

import (
	"github.com/finder-platform/finder/graph/generated"
	"github.com/finder-platform/finder/model"
)

// A query's cost is the number of values it can make the server resolve:
// every field counts 1 and its children count once for each item the field
// can return. A paginated list returns `first` items; the other lists are
// counted at these typical sizes (their real maxima are larger, but a cost
// meant to compare queries should not punish the common page).
const (
	roleToolsSize     = 20 // Role.tools: most roles list 6 to 16
	roleResourcesSize = 10 // Role.learningResources
	roleRelatedSize   = 10 // Role.relatedRoles
	toolGroupsSize    = 6  // Role.toolGroups
	groupToolsSize    = 5  // ToolGroup.tools
	linkedRolesSize   = 25 // Tool.roles and LearningResource.roles
)

// costs sets the complexity of every list field.
func costs() generated.ComplexityRoot {
	var c generated.ComplexityRoot
	times := func(n int) func(int) int { return func(child int) int { return saturate(1, saturateMul(n, child)) } }
	page := func(first *int, def int) func(int) int {
		n := def
		if first != nil && *first > 0 {
			n = *first
		}
		return times(n)
	}
	c.Query.Roles = func(child int, first *int, _ *string, _ *model.RoleFilter, _ *model.RoleOrder) int {
		return page(first, model.DefaultPageSize)(child)
	}
	c.Query.Tools = func(child int, first *int, _ *string, _ *model.ToolFilter) int {
		return page(first, model.DefaultPageSize)(child)
	}
	c.Query.LearningResources = func(child int, first *int, _ *string, _ *model.ResourceFilter) int {
		return page(first, model.DefaultPageSize)(child)
	}
	c.Query.Search = func(child int, _ string, first *int) int { return page(first, 10)(child) }
	// The insights' lists: each item is a role or tool found by counting.
	c.Query.MatchRoles = func(child int, _, _ []string, first *int) int { return page(first, 10)(child) }
	c.Query.ToolUsage = func(child int, _ *model.ToolCategory, first *int) int { return page(first, 20)(child) }
	c.Tool.UsedWith = func(child int, first *int) int { return page(first, 10)(child) }
	c.Query.APIKeys = func(child int, first *int, _ *string) int { return page(first, model.DefaultPageSize)(child) }
	c.Query.History = func(child int, _ string, first *int, _ *string) int { return page(first, model.DefaultPageSize)(child) }
	c.Role.Tools = func(child int, _ *model.ToolCategory) int { return times(roleToolsSize)(child) }
	c.Role.LearningResources = func(child int, _ *model.ResourceKind) int { return times(roleResourcesSize)(child) }
	c.Role.RelatedRoles = func(child int, _ *model.RelationKind) int { return times(roleRelatedSize)(child) }
	c.Role.ToolGroups = times(toolGroupsSize)
	c.ToolGroup.Tools = times(groupToolsSize)
	c.Tool.Roles = times(linkedRolesSize)
	c.LearningResource.Roles = times(linkedRolesSize)
	return c
}

// saturateMul multiplies two non-negative counts, stopping at a huge value.
func saturateMul(a, b int) int {
	if a != 0 && b > countCeiling/a {
		return countCeiling
	}
	return a * b
}
