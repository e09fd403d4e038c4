package model

import (
	"encoding/base64"
	"strings"
)

// Node is anything with a global id: a role, a tool or a learning resource.
type Node interface {
	NodeID() string
}

// SearchResult is a role, tool or learning resource found by a search.
type SearchResult interface {
	NodeID() string
}

// The type names that global ids carry.
const (
	TypeRole     = "Role"
	TypeTool     = "Tool"
	TypeResource = "LearningResource"
)

// GlobalID returns the opaque id clients see for the entry of type typ with
// the store id id. It carries the type so that Query.node knows where to look.
func GlobalID(typ, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + id))
}

// ParseGlobalID reads an id made by GlobalID.
func ParseGlobalID(field, s string) (typ, id string, err error) {
	b, decodeErr := base64.RawURLEncoding.DecodeString(s)
	typ, id, ok := strings.Cut(string(b), ":")
	if decodeErr != nil || !ok || id == "" || (typ != TypeRole && typ != TypeTool && typ != TypeResource && typ != TypeAPIKey) {
		return "", "", FieldErrorf(field, "is not an id from this API; use the id field of a Role, Tool, LearningResource or ApiKey")
	}
	return typ, id, nil
}

// NodeID is the role's global id.
func (r *Role) NodeID() string { return GlobalID(TypeRole, r.ID) }

// NodeID is the tool's global id.
func (t *Tool) NodeID() string { return GlobalID(TypeTool, t.ID) }

// NodeID is the learning resource's global id.
func (r *LearningResource) NodeID() string { return GlobalID(TypeResource, r.ID) }

// OptionalURL is the tool's home page, or nil when it has none.
func (t *Tool) OptionalURL() *string { return optional(t.URL) }

// OptionalSourceURL is where the salary figures were published, or nil.
func (s *Salary) OptionalSourceURL() *string { return optional(s.SourceURL) }

// OptionalNote is the relation's note, or nil when it has none.
func (r *RoleRelation) OptionalNote() *string { return optional(r.Note) }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// TypeName is how messages name an entry of the type: "role", "tool",
// "learning resource" or "API key".
func TypeName(typ string) string {
	switch typ {
	case TypeRole:
		return "role"
	case TypeTool:
		return "tool"
	case TypeResource:
		return "learning resource"
	case TypeAPIKey:
		return "API key"
	}
	return typ
}

// NotFoundError is the error for an id that names nothing of its type.
func NotFoundError(typ, id string) error {
	return Errorf(CodeNotFound, "No %s has the id %s; it may have been deleted.", TypeName(typ), GlobalID(typ, id))
}
