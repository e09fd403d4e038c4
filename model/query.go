package model

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"
)

// Page sizes accepted by every list.
const (
	MinPageSize     = 1
	MaxPageSize     = 100
	DefaultPageSize = 20
)

// OrderField names what a list of roles is sorted by.
type OrderField string

// The orders roles can be listed in.
const (
	OrderByTitle     OrderField = "TITLE"
	OrderByUpdatedAt OrderField = "UPDATED_AT"
)

// Direction is ascending or descending.
type Direction string

// The sort directions.
const (
	Asc  Direction = "ASC"
	Desc Direction = "DESC"
)

// RoleOrder sorts a list of roles. Ties are broken by id, so every order is
// total and a cursor names one place in it.
type RoleOrder struct {
	Field     OrderField
	Direction Direction
}

// RoleFilter narrows a list of roles; every set condition must hold.
type RoleFilter struct {
	Families  []RoleFamily // any of these families
	UsesTools []string     // ids of tools the role uses, all of them
	Text      string       // search text, matched as Query does
	// OccupationCodes are occupation codes of any system, of which the role
	// has at least one.
	OccupationCodes []string
}

// HasOccupation reports whether the role maps to one of the codes.
func (f RoleFilter) HasOccupation(r *Role) bool {
	for _, o := range r.Occupations {
		if slices.Contains(f.OccupationCodes, o.Code) {
			return true
		}
	}
	return false
}

// ToolFilter narrows a list of tools.
type ToolFilter struct {
	Categories []ToolCategory
	Text       string
}

// ResourceFilter narrows a list of learning resources.
type ResourceFilter struct {
	Kinds []ResourceKind
	Free  *bool
	Text  string
}

// PageRequest asks for First entries after the place After names (nil for
// the start).
type PageRequest struct {
	First int
	After *Cursor
}

// Page is one page of a list. Total counts the whole filtered list; it is a
// function so that the count is only made when a client asks for it.
type Page[T any] struct {
	Items   []T
	Cursors []Cursor
	HasNext bool
	Total   func(context.Context) (int, error)
}

// Cursor is a place in a sorted list: the sort key and id of the entry
// before it. Clients see it only as an opaque string.
type Cursor struct {
	Key string `json:"k"`
	ID  string `json:"i"`
}

// Encode returns the cursor as the opaque string clients pass back.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor a client sent; anything that Encode did not
// produce is a BAD_USER_INPUT error.
func DecodeCursor(field, s string) (*Cursor, error) {
	bad := FieldErrorf(field, "is not a cursor from this list; pass the endCursor or an edge's cursor of a previous page")
	// A cheap bound before decoding: JSON may write a byte as six and
	// base64 adds a third, so the largest cursor Encode makes is under 8 KB.
	if len(s) > 8192 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c Cursor
	// The decoded fields are bounded too: decoding may grow a string (an
	// invalid byte becomes a three-byte U+FFFD), and a cursor must encode
	// again to one this function accepts.
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" || len(c.ID) > maxCursorIDLen || len(c.Key) > maxCursorKeyLen {
		return nil, bad
	}
	return &c, nil
}

const (
	// maxCursorKeyLen is the longest key in bytes: a lowercased title of
	// up to 2*MaxTitleLen characters of four bytes each.
	maxCursorKeyLen = 4 * 2 * MaxTitleLen
	maxCursorIDLen  = 64
)

const timeKeyLayout = "2006-01-02T15:04:05.000Z"

// TimeKey writes t as a sort key that orders as t does.
func TimeKey(t time.Time) string { return t.UTC().Format(timeKeyLayout) }

// ParseTimeKey reads a cursor's TimeKey back, or answers the error of a
// cursor from another order.
func ParseTimeKey(key string) (time.Time, error) {
	t, err := time.Parse(timeKeyLayout, key)
	if err != nil {
		return t, FieldErrorf("after", "is not a cursor from this list; pass the endCursor of a previous page of the same order")
	}
	return t, nil
}

// SearchHit is one result of a search: exactly one of its entries is set.
type SearchHit struct {
	Rank     int
	Role     *Role
	Tool     *Tool
	Resource *LearningResource
}

// Title returns the hit's title or name, by which equal ranks are sorted.
func (h SearchHit) Title() string {
	switch {
	case h.Role != nil:
		return h.Role.Title
	case h.Tool != nil:
		return h.Tool.Name
	case h.Resource != nil:
		return h.Resource.Title
	}
	return ""
}

// CatalogReader is every read the API makes. The store implements it by
// querying the database; the loaders batch the By-id and By-parent reads of
// one request through it.
type CatalogReader interface {
	RoleBySlug(ctx context.Context, slug string) (*Role, error)
	ToolBySlug(ctx context.Context, slug string) (*Tool, error)
	ResourceBySlug(ctx context.Context, slug string) (*LearningResource, error)
	ToolsBySlugs(ctx context.Context, slugs []string) ([]Tool, error)

	RolesByIDs(ctx context.Context, ids []string) ([]Role, error)
	ToolsByIDs(ctx context.Context, ids []string) ([]Tool, error)
	ResourcesByIDs(ctx context.Context, ids []string) ([]LearningResource, error)
	// RolesUsingTools returns, in title order, every role that lists any of
	// the tools.
	RolesUsingTools(ctx context.Context, toolIDs []string) ([]Role, error)
	// RolesUsingResources returns, in title order, every role that lists
	// any of the learning resources.
	RolesUsingResources(ctx context.Context, resourceIDs []string) ([]Role, error)
	// RelationsOf returns every relation with one of the roles at an end.
	RelationsOf(ctx context.Context, roleIDs []string) ([]Relation, error)

	ListRoles(ctx context.Context, f RoleFilter, o RoleOrder, p PageRequest) (Page[Role], error)
	ListTools(ctx context.Context, f ToolFilter, p PageRequest) (Page[Tool], error)
	ListResources(ctx context.Context, f ResourceFilter, p PageRequest) (Page[LearningResource], error)
	// Search returns at most first hits across roles, tools and learning
	// resources, best first (SearchHits orders them).
	Search(ctx context.Context, q Query, first int) ([]SearchHit, error)
	// ToolUsage counts, for every tool listed by at least one role, the
	// roles that list it, in no particular order.
	ToolUsage(ctx context.Context) ([]ToolCount, error)
}

// ToolCount is a tool with the number of roles that list it.
type ToolCount struct {
	ToolID string
	Roles  int
}
