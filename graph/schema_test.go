package graph

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/finder-platform/finder/graph/generated"
)

// TestEverythingIsDescribed checks that analysts find a description in
// GraphiQL for every type, field, argument, input field and enum value.
func TestEverythingIsDescribed(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	var missing []string
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if def.Description == "" {
			missing = append(missing, name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if f.Description == "" {
				missing = append(missing, name+"."+f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" && !describedByType(schema, a) {
					missing = append(missing, name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	for name, d := range schema.Directives {
		if !d.IsRepeatable && d.Description == "" && !isBuiltInDirective(name) {
			missing = append(missing, "@"+name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d schema elements have no description: %s", len(missing), strings.Join(missing, ", "))
	}
}

// describedByType accepts an argument without a description of its own
// when its input type is described and the name says the rest
// (input: RoleInput!).
func describedByType(schema *ast.Schema, a *ast.ArgumentDefinition) bool {
	def := schema.Types[a.Type.Name()]
	return a.Name == "input" && def != nil && def.Description != ""
}

func isBuiltInDirective(name string) bool {
	switch name {
	case "include", "skip", "deprecated", "specifiedBy", "defer", "oneOf", "goModel", "goField", "goTag", "goExtraField", "goEnum":
		return true
	}
	return false
}
