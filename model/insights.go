package model

// CareerPath is the shortest way from one role to another over their
// links: fewest steps, and among those, fewest new tools to learn.
type CareerPath struct {
	Steps []CareerStep
	// NewTools is how many tools the path asks for in all: the sum of
	// every step's GainTools.
	NewTools int
}

// CareerStep is one role on a path. The first step is where it starts.
type CareerStep struct {
	Role *Role
	// Via is how the role before relates to this one; nil on the first step.
	Via *RelationKind
	// GainTools are this role's tools that the role before does not list.
	GainTools []*Tool
	// LearningResources teach this role.
	LearningResources []*LearningResource
}

// RoleComparison sets two to four roles side by side.
type RoleComparison struct {
	Roles        []*Role
	SharedTools  []*Tool  // listed by every role, in the first role's order
	SharedSkills []string // held by every role, as the first role words them
	Only         []RoleDifference
}

// RoleDifference is what one role of a comparison has that none of the
// others does.
type RoleDifference struct {
	Role   *Role
	Tools  []*Tool
	Skills []string
}

// RoleMatch is how well a person's tools and skills cover a role.
type RoleMatch struct {
	Role *Role
	// Score is the share of the role's tools and skills the person has:
	// (matched tools + matched skills) / (the role's tools + its skills),
	// counting skills only when the person gave some. 1 covers it all.
	Score         float64
	MatchedTools  []*Tool
	MissingTools  []*Tool
	MatchedSkills []string
}

// ToolUsage is a tool with how many roles use it (or, beside another tool,
// how many roles use both).
type ToolUsage struct {
	Tool      *Tool
	RoleCount int
}
