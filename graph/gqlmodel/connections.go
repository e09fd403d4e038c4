// Package gqlmodel holds the GraphQL-only types the schema binds to: pages
// of lists (Relay connections) and tool groups. Domain types live in model.
package gqlmodel

import (
	"context"

	"github.com/finder-platform/finder/model"
)

// Connection is a page of a list in the shape of a Relay connection.
type Connection[T any] struct {
	Page model.Page[T]
	// After reports whether the page was asked for after a cursor, which is
	// how hasPreviousPage is known without another read.
	After bool
}

// Edge is an entry of a page with its cursor.
type Edge[T any] struct {
	Cursor string
	Node   *T
}

// Edges returns the page's entries with their cursors.
func (c *Connection[T]) Edges() []*Edge[T] {
	out := make([]*Edge[T], len(c.Page.Items))
	for i := range c.Page.Items {
		out[i] = &Edge[T]{Cursor: c.Page.Cursors[i].Encode(), Node: &c.Page.Items[i]}
	}
	return out
}

// Nodes returns the page's entries.
func (c *Connection[T]) Nodes() []*T {
	out := make([]*T, len(c.Page.Items))
	for i := range c.Page.Items {
		out[i] = &c.Page.Items[i]
	}
	return out
}

// PageInfo says where the page stands.
func (c *Connection[T]) PageInfo() *PageInfo {
	p := &PageInfo{HasNextPage: c.Page.HasNext, HasPreviousPage: c.After}
	if n := len(c.Page.Cursors); n > 0 {
		start, end := c.Page.Cursors[0].Encode(), c.Page.Cursors[n-1].Encode()
		p.StartCursor, p.EndCursor = &start, &end
	}
	return p
}

// TotalCount counts the whole filtered list; only queries that ask for it
// pay for the count.
func (c *Connection[T]) TotalCount(ctx context.Context) (int, error) {
	return c.Page.Total(ctx)
}

// PageInfo is a Relay page info.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// The connections and edges of the schema.
type (
	RoleConnection             = Connection[model.Role]
	RoleEdge                   = Edge[model.Role]
	ToolConnection             = Connection[model.Tool]
	ToolEdge                   = Edge[model.Tool]
	LearningResourceConnection = Connection[model.LearningResource]
	LearningResourceEdge       = Edge[model.LearningResource]
	ApiKeyConnection           = Connection[model.APIKey]
	ApiKeyEdge                 = Edge[model.APIKey]
	HistoryConnection          = Connection[model.HistoryEntry]
	HistoryEdge                = Edge[model.HistoryEntry]
	CatalogChangeConnection    = Connection[model.Change]
	CatalogChangeEdge          = Edge[model.Change]
)

// ToolGroup is a role's tools of one category.
type ToolGroup struct {
	Category model.ToolCategory
	Label    string
	Tools    []*model.Tool
}
