package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// loadSchema reads graph/schema/*.graphqls.
func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	files, err := filepath.Glob("../graph/schema/*.graphqls")
	if err != nil || len(files) == 0 {
		t.Skip("no schema files next to bench/")
	}
	var sources []*ast.Source
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(b)})
	}
	schema, err := gqlparser.LoadSchema(sources...)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// TestDocumentsMatchTheSchema validates every document bench sends, and the
// variables of the requests it builds, against the schema.
func TestDocumentsMatchTheSchema(t *testing.T) {
	schema := loadSchema(t)
	generated, relations := generateCatalog(testBase(), 3, 1)
	low, high := 1, 3
	generated[0].Salary = &SalaryInput{Currency: "USD", Period: "YEAR", Min: &low, Median: 2, Max: &high, Region: "US",
		Basis: "Software Developers", Proxy: true, Source: "x", Year: 2026}
	plan := buildPlan([]string{"back-end-developer"}, []string{"git"}, []*string{nil, new(string)})
	reqs := append(plan.requests(), createRoleRequest(generated[0]), createRoleRequest(generated[1]), relateRequest(relations[0]))
	for _, q := range []string{roleSlugsQuery, toolSlugsQuery, scanCursorsQuery, roleTitlesQuery, resourceSlugsQuery, baseRoleQuery, linksQuery} {
		reqs = append(reqs, graphQLPost(q, "", map[string]any{"after": nil, "slug": "x"}))
	}
	for _, r := range reqs {
		var body struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if r.Method == "GET" {
			q, err := parseQuery(r.Target)
			if err != nil {
				t.Fatal(err)
			}
			body.Query = q.Get("query")
			json.Unmarshal([]byte(q.Get("variables")), &body.Variables)
		} else if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		doc, errs := gqlparser.LoadQuery(schema, body.Query)
		if len(errs) > 0 {
			t.Errorf("%.60s...: %v", body.Query, errs)
			continue
		}
		op := doc.Operations[0]
		vars := map[string]any{}
		for _, d := range op.VariableDefinitions { // only the variables the document declares
			if v, ok := body.Variables[d.Variable]; ok {
				vars[d.Variable] = v
			}
		}
		if _, err := validator.VariableValues(schema, op, vars); err != nil {
			t.Errorf("%s: variables %v: %v", op.Name, vars, err)
		}
	}
}

func parseQuery(target string) (url.Values, error) {
	_, q, _ := strings.Cut(target, "?")
	return url.ParseQuery(q)
}
