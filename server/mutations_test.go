package main

import (
	"testing"
)

// fingerprint is what a refused mutation must not change: how many of
// each entry there are, and their versions.
func fingerprint(t *testing.T, url string) string {
	t.Helper()
	r := postAs(t, url, adminToken, `{
		roles(first: 100) { totalCount nodes { slug version } }
		tools(first: 1) { totalCount }
		learningResources(first: 1) { totalCount }
		apiKeys(first: 100) { totalCount nodes { revokedAt } }
		history(id: "Um9sZTplNzYyNDYyNy04ODBlLTU4OGQtYTMzMC1kNDhjNmUwNDVjMjU") { totalCount } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("fingerprint: %+v", r.Errors)
	}
	return string(r.Data)
}

// TestEveryMutationChecksItsKey sends each mutation without a key and with
// a read-only key, checks both are refused and change nothing, then sends
// it with an editor's key and checks it succeeds.
func TestEveryMutationChecksItsKey(t *testing.T) {
	url := editServer(t)
	var keys struct {
		Reader struct{ Secret string }
		Writer struct {
			Secret string
			ApiKey struct{ ID string }
		}
	}
	postAs(t, url, adminToken, `mutation {
		reader: createApiKey(input: {name: "reader", scopes: [READ]}) { secret }
		writer: createApiKey(input: {name: "writer", scopes: [WRITE]}) { secret apiKey { id } } }`, nil).Decode(t, &keys)
	var ids struct {
		Role struct{ ID string }
		Tool struct{ ID string }
		Res  struct{ ID string }
	}
	post(t, url, `{ role(slug: "data-analyst") { id } tool(slug: "tableau") { id } res: learningResource(slug: "sqlbolt") { id } }`, nil).Decode(t, &ids)

	tool := map[string]any{"slug": "test-tool", "name": "Test Tool", "category": "OTHER", "url": "https://example.com/tool"}
	resource := map[string]any{"slug": "test-course", "title": "Test Course", "provider": "Tests", "url": "https://example.com/c", "kind": "COURSE", "description": "Teaches tests."}
	for _, m := range []struct {
		name, doc string
		vars      map[string]any
		scope     string // the key that may send it: writer or admin
	}{
		{"createRole", createRole, map[string]any{"in": newRole("key-role")}, "writer"},
		{"updateRole", `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in, expectedVersion: 1) { version } }`,
			map[string]any{"id": ids.Role.ID, "in": func() map[string]any { r := newRole("data-analyst"); r["title"] = "Data Analyst"; return r }()}, "writer"},
		{"attachTools", `mutation($id: ID!) { attachTools(roleId: $id, toolSlugs: ["git"]) { version } }`, map[string]any{"id": ids.Role.ID}, "writer"},
		{"detachTools", `mutation($id: ID!) { detachTools(roleId: $id, toolSlugs: ["git"]) { version } }`, map[string]any{"id": ids.Role.ID}, "writer"},
		{"attachLearningResources", `mutation($id: ID!) { attachLearningResources(roleId: $id, learningResourceSlugs: ["freecodecamp"]) { version } }`, map[string]any{"id": ids.Role.ID}, "writer"},
		{"detachLearningResources", `mutation($id: ID!) { detachLearningResources(roleId: $id, learningResourceSlugs: ["freecodecamp"]) { version } }`, map[string]any{"id": ids.Role.ID}, "writer"},
		{"relateRoles", `mutation { relateRoles(from: "key-role", to: "data-analyst", kind: COLLABORATES_WITH, note: "n") { kind } }`, nil, "writer"},
		{"unrelateRoles", `mutation { unrelateRoles(from: "key-role", to: "data-analyst") { version } }`, nil, "writer"},
		{"createTool", `mutation($in: ToolInput!) { createTool(input: $in) { id version } }`, map[string]any{"in": tool}, "writer"},
		{"updateTool", `mutation($id: ID!, $in: ToolInput!) { updateTool(id: $id, input: $in, expectedVersion: 1) { version } }`,
			map[string]any{"id": ids.Tool.ID, "in": map[string]any{"slug": "tableau", "name": "Tableau", "category": "DATA_TOOL", "description": "Charts."}}, "writer"},
		{"deleteTool", `mutation($id: ID!) { deleteTool(id: $id, detach: true) }`, map[string]any{"id": ids.Tool.ID}, "writer"},
		{"createLearningResource", `mutation($in: LearningResourceInput!) { createLearningResource(input: $in) { version } }`, map[string]any{"in": resource}, "writer"},
		{"updateLearningResource", `mutation($id: ID!, $in: LearningResourceInput!) { updateLearningResource(id: $id, input: $in, expectedVersion: 1) { version } }`,
			map[string]any{"id": ids.Res.ID, "in": map[string]any{"slug": "sqlbolt", "title": "SQLBolt", "provider": "SQLBolt", "url": "https://sqlbolt.com/", "kind": "TUTORIAL", "free": true, "description": "SQL lessons."}}, "writer"},
		{"deleteLearningResource", `mutation($id: ID!) { deleteLearningResource(id: $id, detach: true) }`, map[string]any{"id": ids.Res.ID}, "writer"},
		{"deleteRole", `mutation($id: ID!) { deleteRole(id: $id) }`, map[string]any{"id": ids.Role.ID}, "writer"},
		{"createApiKey", `mutation { createApiKey(input: {name: "k", scopes: [READ]}) { secret } }`, nil, "admin"},
		{"revokeApiKey", `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": keys.Writer.ApiKey.ID}, "admin"},
	} {
		t.Run(m.name, func(t *testing.T) {
			before := fingerprint(t, url)
			postAs(t, url, "", m.doc, m.vars).OnlyCode(t, "UNAUTHENTICATED")
			postAs(t, url, keys.Reader.Secret, m.doc, m.vars).OnlyCode(t, "FORBIDDEN")
			if m.scope == "admin" {
				postAs(t, url, keys.Writer.Secret, m.doc, m.vars).OnlyCode(t, "FORBIDDEN")
			}
			if after := fingerprint(t, url); after != before {
				t.Fatalf("a refused %s changed the catalog:\nbefore %s\nafter  %s", m.name, before, after)
			}
			key := keys.Writer.Secret
			if m.scope == "admin" {
				key = adminToken
			}
			if r := postAs(t, url, key, m.doc, m.vars); len(r.Errors) > 0 {
				t.Fatalf("with the %s key: %+v", m.scope, r.Errors)
			}
		})
	}
}

func TestToolSlugMustBeItsName(t *testing.T) {
	url := editServer(t)
	r := postAs(t, url, adminToken, `mutation { createTool(input: {slug: "rails", name: "Ruby on Rails 9", category: API_FRAMEWORK}) { id } }`, nil)
	r.OnlyCode(t, "BAD_USER_INPUT")
	if r.Errors[0].Extensions["field"] != "input.slug" {
		t.Errorf("errors %+v", r.Errors)
	}
}

func TestRenamingOntoATakenSlugIsAConflict(t *testing.T) {
	url := editServer(t)
	var tool struct{ Tool struct{ ID string } }
	post(t, url, `{ tool(slug: "tableau") { id } }`, nil).Decode(t, &tool)
	r := postAs(t, url, adminToken, `mutation($id: ID!) { updateTool(id: $id, expectedVersion: 1, input: {slug: "python", name: "Python", category: DATA_TOOL}) { slug } }`,
		map[string]any{"id": tool.Tool.ID})
	r.OnlyCode(t, "CONFLICT")
	if r.Errors[0].Extensions["field"] != "input.slug" {
		t.Errorf("errors %+v", r.Errors)
	}
	var back struct{ Tool struct{ Version int } }
	post(t, url, `{ tool(slug: "tableau") { version } }`, nil).Decode(t, &back)
	if back.Tool.Version != 1 {
		t.Errorf("tableau is at version %d after a refused rename", back.Tool.Version)
	}
}
