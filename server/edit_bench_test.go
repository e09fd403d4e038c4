package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// benchToken is the admin key of the edit benchmarks' servers.
const benchToken = "bench-admin-token-0123456789abcdef"

// BenchmarkEdit times the two edits editors make most, through the real
// HTTP handler with a key, on the shipped catalog and on one grown by
// generated roles, and reports the median and the store commands each
// sends (the key's check included):
//
//	go test ./server -run '^$' -bench Edit -benchtime 50x
//
// relateRoles links Back-End Developer to another role, a new note each
// time, so that every edit changes something; updateRole changes a role's
// tagline at the version it has.
func BenchmarkEdit(b *testing.B) {
	for _, extra := range []int{0, 1000, 10000} {
		for _, op := range []string{"relateRoles", "updateRole"} {
			b.Run(fmt.Sprintf("%s/roles=+%d", op, extra), func(b *testing.B) {
				a := benchApp(b, extra, "FINDER_ADMIN_TOKEN", benchToken)
				send := func(query string, vars map[string]any) json.RawMessage {
					body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
					req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+benchToken)
					w := httptest.NewRecorder()
					a.edge.ServeHTTP(w, req)
					var out gqlResponse
					if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || len(out.Errors) > 0 || w.Code != http.StatusOK {
						b.Fatalf("status %d: %s", w.Code, w.Body)
					}
					return out.Data
				}
				var took []time.Duration
				commands := 0
				for i := 0; b.Loop(); i++ {
					query, vars := relateQuery(i)
					if op == "updateRole" {
						query, vars = updateQuery(send, i)
					}
					before := a.metrics.DBCommands()
					start := time.Now()
					send(query, vars)
					took = append(took, time.Since(start))
					commands += a.metrics.DBCommands() - before
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
				b.ReportMetric(float64(commands)/float64(len(took)), "db-commands/op")
			})
		}
	}
}

// relateQuery links Back-End Developer to one of a few roles, with a note
// that differs every time.
func relateQuery(i int) (string, map[string]any) {
	others := []string{"front-end-developer", "data-engineer", "devops-engineer", "qa-engineer"}
	return `mutation($to: String!, $note: String) { relateRoles(from: "back-end-developer", to: $to, kind: COLLABORATES_WITH, note: $note) { kind role { slug version } } }`,
		map[string]any{"to": others[i%len(others)], "note": fmt.Sprintf("Edit %d of the benchmark.", i)}
}

// updateQuery reads the role as an editor's form would (from memory: no
// store command), then builds the update of its tagline.
func updateQuery(send func(string, map[string]any) json.RawMessage, i int) (string, map[string]any) {
	var got struct {
		Role struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
		} `json:"role"`
	}
	_ = json.Unmarshal(send(`{ role(slug: "data-engineer") { id version } }`, nil), &got)
	in := benchRoleInput()
	in["tagline"] = fmt.Sprintf("Data Engineers build the pipelines the rest of the company reads from (edit %d).", i)
	return `mutation($id: ID!, $v: Int!, $in: RoleInput!) { updateRole(id: $id, expectedVersion: $v, input: $in) { version } }`,
		map[string]any{"id": got.Role.ID, "v": got.Role.Version, "in": in}
}

// benchRoleInput is a complete role input for data-engineer.
func benchRoleInput() map[string]any {
	return map[string]any{
		"slug": "data-engineer", "title": "Data Engineer", "family": "DATA",
		"description": "Data Engineers build and run the systems that move and store data.",
		"skills":      []string{"SQL", "Python"}, "responsibilities": []string{"Building pipelines"},
		"toolSlugs": []string{"python", "git"}, "advantages": []string{"Demand"},
		"disadvantages": []string{"On call"}, "goodFit": "People who like plumbing for data.",
		"learningResourceSlugs": []string{"sqlbolt"},
	}
}
