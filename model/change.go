package model

import (
	"reflect"
	"slices"
	"time"
)

// ChangeAction says what a change did to an entry.
type ChangeAction string

// The change actions.
const (
	ActionCreated ChangeAction = "CREATED"
	ActionUpdated ChangeAction = "UPDATED"
	ActionDeleted ChangeAction = "DELETED"
)

// Change is one committed edit of the catalog: who made it, when, what it
// did to each entry it touched, and the new state of every document it
// wrote. Every mutation is one change, however many entries it touches, and
// the catalog is its changes applied in order: the change log is at once
// the edits, their history and the feed instances follow.
type Change struct {
	ID         string // a uuid: history's changeId
	Seq        int64  // its place in the log: 1, 2, 3, ... with no gaps
	At         time.Time
	Actor      string // the API key's name; never shown outside history
	ActorKeyID string
	Operation  string // the mutation, such as "updateRole"
	Entries    []ChangeEntry
	Writes     []Write
	// Reload says the change wrote the whole catalog (seeding): a reader
	// reads every entry again instead of applying Writes.
	Reload bool
}

// Write is the new state of one document a change wrote: exactly one of
// Role, Tool, Resource and Relation, or none when the change deleted it.
type Write struct {
	Type string // TypeRole, TypeTool, TypeResource or TypeRelation
	ID   string
	// Created says the change made the document.
	Created  bool
	Role     *Role
	Tool     *Tool
	Resource *LearningResource
	Relation *Relation
}

// Deleted reports whether the change deleted the document.
func (w Write) Deleted() bool {
	return w.Role == nil && w.Tool == nil && w.Resource == nil && w.Relation == nil
}

// TypeRelation names relations in a change's writes. Relations have no
// global id: they are read through the roles they link.
const TypeRelation = "Relation"

// OperationSeed names the change that loads the shipped catalog into an
// empty store.
const OperationSeed = "seed"

// ChangeEntry is what a change did to one entry.
type ChangeEntry struct {
	Type    string // TypeRole, TypeTool, TypeResource or TypeAPIKey
	ID      string
	Slug    string
	Action  ChangeAction
	Version int // the entry's version after the change; 0 when deleted
	Fields  []FieldChange
}

// TypeAPIKey names API keys in history.
const TypeAPIKey = "ApiKey"

// FieldChange is one field's value before and after a change; nil where
// the entry did not exist.
type FieldChange struct {
	Field  string
	Before any
	After  any
}

// HistoryEntry is a change as one entry's history shows it.
type HistoryEntry struct {
	Change
	Entry ChangeEntry
}

// Diff returns the fields whose values differ between before and after,
// in the order of fields. Either map may be nil (creation, deletion).
func Diff(fields []string, before, after map[string]any) []FieldChange {
	var out []FieldChange
	for _, f := range fields {
		b, a := before[f], after[f]
		if !reflect.DeepEqual(b, a) {
			out = append(out, FieldChange{Field: f, Before: b, After: a})
		}
	}
	return out
}

// RoleFields are a role's fields as history shows them, in display order.
var RoleFields = []string{"slug", "title", "family", "tagline", "description", "skills",
	"responsibilities", "toolSlugs", "advantages", "disadvantages", "goodFit", "conclusion",
	"salary", "learningResourceSlugs", "occupations", "sources", "reviewedOn", "relatedRoles"}

// RoleInput.Fields maps the input to the fields history shows.
func (in RoleInput) Fields(relatedRoles []string) map[string]any {
	m := map[string]any{
		"slug": in.Slug, "title": in.Title, "family": string(in.Family), "tagline": in.Tagline,
		"description": in.Description, "skills": strs(in.Skills), "responsibilities": strs(in.Responsibilities),
		"toolSlugs": strs(in.ToolSlugs), "advantages": strs(in.Advantages), "disadvantages": strs(in.Disadvantages),
		"goodFit": in.GoodFit, "conclusion": in.Conclusion, "salary": nil,
		"learningResourceSlugs": strs(in.LearningResourceSlugs), "relatedRoles": strs(relatedRoles),
		"occupations": occupationFields(in.Occupations), "sources": sourceFields(in.Sources), "reviewedOn": nil,
	}
	if in.ReviewedOn != nil {
		m["reviewedOn"] = string(*in.ReviewedOn)
	}
	if s := in.Salary; s != nil {
		m["salary"] = map[string]any{"currency": s.Currency, "period": string(s.Period), "min": intOrNil(s.Min),
			"median": s.Median, "max": intOrNil(s.Max), "region": s.Region, "basis": s.Basis, "proxy": s.Proxy,
			"source": s.Source, "sourceUrl": s.SourceURL, "year": s.Year}
	}
	return m
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// occupationFields and sourceFields write lists of records as history
// shows them: one line each, so a diff reads at a glance.
func occupationFields(list []OccupationMatch) []string {
	out := make([]string, len(list))
	for i, o := range list {
		out[i] = string(o.System) + " " + o.Code + " " + string(o.Match) + " " + o.Title + " <" + o.URL + ">"
	}
	return out
}

func sourceFields(list []Source) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Title + " (" + s.Publisher + ", accessed " + string(s.Accessed) + ") <" + s.URL + ">"
	}
	return out
}

// ToolFields are a tool's fields as history shows them.
var ToolFields = []string{"slug", "name", "category", "description", "url"}

// Fields maps the input to the fields history shows.
func (in ToolInput) Fields() map[string]any {
	return map[string]any{"slug": in.Slug, "name": in.Name, "category": string(in.Category),
		"description": in.Description, "url": in.URL}
}

// ResourceFields are a learning resource's fields as history shows them.
var ResourceFields = []string{"slug", "title", "provider", "url", "kind", "free", "description"}

// Fields maps the input to the fields history shows.
func (in LearningResourceInput) Fields() map[string]any {
	return map[string]any{"slug": in.Slug, "title": in.Title, "provider": in.Provider, "url": in.URL,
		"kind": string(in.Kind), "free": in.Free, "description": in.Description}
}

// strs makes nil and empty lists compare equal and copies the list, so a
// later change to the input cannot alter history.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// ChangeID is the id of the change.
func (h *HistoryEntry) ChangeID() string { return h.Change.ID }

// Action is what the change did to this entry.
func (h *HistoryEntry) Action() ChangeAction { return h.Entry.Action }

// Slug is the entry's slug after the change (before it, for a deletion).
func (h *HistoryEntry) Slug() string { return h.Entry.Slug }

// Version is the entry's version after the change, nil for a deletion.
func (h *HistoryEntry) Version() *int {
	if h.Entry.Action == ActionDeleted {
		return nil
	}
	return &h.Entry.Version
}

// Fields are the entry's fields that changed.
func (h *HistoryEntry) Fields() []FieldChange { return h.Entry.Fields }

// AlsoChanged are the other entries the change touched.
func (h *HistoryEntry) AlsoChanged() []ChangeEntry {
	var out []ChangeEntry
	for _, e := range h.Entries {
		if e.ID != h.Entry.ID {
			out = append(out, e)
		}
	}
	return out
}

// NodeID is the entry's global id.
func (e *ChangeEntry) NodeID() string { return GlobalID(e.Type, e.ID) }
