package model

import "context"

// CatalogWriter is every change the API makes, and the reads that only
// editors and administrators make. The store implements it; each method
// checks its input, writes all or nothing, and records the change.
type CatalogWriter interface {
	CreateRole(ctx context.Context, in RoleInput) (*Role, error)
	UpdateRole(ctx context.Context, id string, in RoleInput, expectedVersion int) (*Role, error)
	DeleteRole(ctx context.Context, id string) error
	RelateRoles(ctx context.Context, in RelationInput) (*RoleRelation, error)
	UnrelateRoles(ctx context.Context, from, to string) (*Role, error)
	AttachTools(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*Role, error)
	DetachTools(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*Role, error)
	AttachResources(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*Role, error)
	DetachResources(ctx context.Context, roleID string, slugs []string, expectedVersion *int) (*Role, error)

	CreateTool(ctx context.Context, in ToolInput) (*Tool, error)
	UpdateTool(ctx context.Context, id string, in ToolInput, expectedVersion int) (*Tool, error)
	DeleteTool(ctx context.Context, id string, detach bool) error
	CreateResource(ctx context.Context, in LearningResourceInput) (*LearningResource, error)
	UpdateResource(ctx context.Context, id string, in LearningResourceInput, expectedVersion int) (*LearningResource, error)
	DeleteResource(ctx context.Context, id string, detach bool) error

	CreateKey(ctx context.Context, in KeyInput) (*APIKey, string, error)
	RevokeKey(ctx context.Context, id string) (*APIKey, error)
	ListKeys(ctx context.Context, p PageRequest) (Page[APIKey], error)
	// History lists the changes to the entry of type typ with the id,
	// newest first.
	History(ctx context.Context, typ, id string, p PageRequest) (Page[HistoryEntry], error)

	Subscribe(ctx context.Context, email string) (*Subscription, string, error)
	Unsubscribe(ctx context.Context, token string) (bool, error)
}
