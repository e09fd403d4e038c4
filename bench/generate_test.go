package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/model"
)

func testBase() catalogBase {
	b := catalogBase{}
	for i := range 12 {
		b.Roles = append(b.Roles, baseRole{Slug: fmt.Sprintf("base-%d", i), Title: fmt.Sprintf("Base %d", i), Family: "DATA",
			Tagline: fmt.Sprint("tagline ", i), Skills: []string{"s"}})
	}
	for i := range 40 {
		b.Tools = append(b.Tools, fmt.Sprintf("tool-%02d", i))
	}
	for i := range 9 {
		b.Resources = append(b.Resources, fmt.Sprintf("res-%d", i))
	}
	return b
}

func TestGenerateCatalogIsDeterministic(t *testing.T) {
	base := testBase()
	roles, rels := generateCatalog(base, 300, 7)
	again, relsAgain := generateCatalog(base, 300, 7)
	if !reflect.DeepEqual(roles, again) || !reflect.DeepEqual(rels, relsAgain) {
		t.Fatal("the same seed made different catalogs")
	}
	other, _ := generateCatalog(base, 300, 8)
	if reflect.DeepEqual(roles, other) {
		t.Error("another seed made the same catalog")
	}
	// A smaller run is the start of a bigger one.
	small, smallRels := generateCatalog(base, 50, 7)
	if !reflect.DeepEqual(small, roles[:50]) || !reflect.DeepEqual(smallRels, rels[:len(smallRels)]) {
		t.Error("50 roles are not the first 50 of 300")
	}

	slugs := map[string]bool{}
	for _, b := range base.Roles {
		slugs[b.Slug] = true
	}
	perRole := map[string]int{}
	for i, r := range roles {
		if slugs[r.Slug] {
			t.Fatalf("slug %q twice", r.Slug)
		}
		slugs[r.Slug] = true
		if r.Slug != model.Slugify(r.Title) || !catalog.IsGeneratedTitle(r.Title) || !strings.HasSuffix(r.Title, fmt.Sprint(" ", i+1)) {
			t.Errorf("role %d: title %q, slug %q", i, r.Title, r.Slug)
		}
		if n := len(r.ToolSlugs); n < 6 || n > 15 || hasDuplicates(r.ToolSlugs) {
			t.Errorf("%s: tools %v", r.Slug, r.ToolSlugs)
		}
		if n := len(r.LearningResourceSlugs); n < 2 || n > 5 || hasDuplicates(r.LearningResourceSlugs) {
			t.Errorf("%s: resources %v", r.Slug, r.LearningResourceSlugs)
		}
		if r.Family != "DATA" || !strings.HasPrefix(r.Tagline, "tagline ") {
			t.Errorf("%s: texts not copied: %+v", r.Slug, r)
		}
	}
	for _, rel := range rels {
		perRole[rel.From]++
		if !slugs[rel.To] || rel.To == rel.From || !slices.Contains(relationKinds, rel.Kind) {
			t.Errorf("relation %+v", rel)
		}
	}
	for _, r := range roles {
		if n := perRole[r.Slug]; n < 1 || n > 3 {
			t.Errorf("%s has %d relations", r.Slug, n)
		}
	}
}

func hasDuplicates(s []string) bool {
	seen := map[string]bool{}
	for _, v := range s {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}

func TestMutationRequests(t *testing.T) {
	r := createRoleRequest(RoleInput{Slug: "a", Title: "A", ToolSlugs: []string{"git"}})
	var body struct {
		Query         string                     `json:"query"`
		OperationName string                     `json:"operationName"`
		Variables     map[string]json.RawMessage `json:"variables"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.Target != "/graphql" || body.Query != createRoleMutation || body.OperationName != "CreateRole" {
		t.Errorf("createRole request: %s %s %s", r.Method, r.Target, r.Body)
	}
	var input map[string]any
	json.Unmarshal(body.Variables["input"], &input)
	for _, field := range []string{"slug", "title", "family", "tagline", "description", "skills", "responsibilities", "toolSlugs",
		"advantages", "disadvantages", "goodFit", "conclusion", "learningResourceSlugs"} {
		if _, ok := input[field]; !ok {
			t.Errorf("RoleInput has no %s", field)
		}
	}
	if _, ok := input["salary"]; ok {
		t.Error("a role without salary sends one")
	}
	r = relateRequest(Relation{From: "a", To: "b", Kind: "NEXT_STEP", Note: "n"})
	if !strings.Contains(string(r.Body), `"variables":{"from":"a","kind":"NEXT_STEP","note":"n","to":"b"}`) {
		t.Errorf("relateRoles body %s", r.Body)
	}
}

// TestGenerateThroughTheAPI loads a generated catalog into the fake API,
// then runs again: the second run finds every role already there.
func TestGenerateThroughTheAPI(t *testing.T) {
	f := newFakeAPI(t, 70, 30, 8) // with the generated roles, more than a page of 100
	f.token = "secret"
	srv := f.start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := GenerateConfig{URL: srv.URL, Token: "secret", Roles: 40, Seed: 3, Concurrency: 3}
	if err := generate(ctx, cfg, io.Discard); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	created, relations := len(f.created), len(f.relations)
	for slug, r := range f.created {
		if r.Description != "description" || !strings.HasPrefix(r.Tagline, "tagline of role-") || slug != model.Slugify(r.Title) {
			t.Errorf("%s: %+v", slug, r)
		}
	}
	f.mu.Unlock()
	c := newClient(srv.URL, 1)
	defer c.close()
	base, err := readBase(ctx, c, 1) // the generated roles are left out
	if err != nil {
		t.Fatal(err)
	}
	_, want := generateCatalog(base, 40, 3)
	if created != 40 || relations != len(want) {
		t.Fatalf("%d roles and %d relations, want 40 and %d", created, relations, len(want))
	}

	// Again, with more, after losing some links as a stopped run would: the
	// first 40 are there, 20 more are made, and only the missing links sent.
	f.mu.Lock()
	lost := slices.Clone(f.relations[len(f.relations)-5:])
	f.relations = f.relations[:len(f.relations)-5]
	relations -= 5
	f.mu.Unlock()
	cfg.Roles = 60
	if err := generate(ctx, cfg, io.Discard); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.created) != 60 {
		t.Errorf("%d roles after the second run", len(f.created))
	}
	_, want = generateCatalog(base, 60, 3)
	if len(f.relations) != len(want) {
		t.Errorf("%d relations after the second run, want %d", len(f.relations), len(want))
	}
	again := f.relations[relations:]
	for _, rel := range lost {
		if !slices.Contains(again, rel) {
			t.Errorf("the lost link %+v was not made again", rel)
		}
	}
	for _, rel := range again {
		i, err := strconv.Atoi(rel.From[strings.LastIndex(rel.From, "-")+1:])
		if err != nil || (i <= 40 && !slices.Contains(lost, rel)) {
			t.Errorf("the second run sent a link that was there: %+v", rel)
		}
	}
}

func TestGenerateStopsOnAFatalError(t *testing.T) {
	f := newFakeAPI(t, 5, 10, 3)
	f.token = "secret"
	srv := f.start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := generate(ctx, GenerateConfig{URL: srv.URL, Token: "wrong", Roles: 500, Seed: 1, Concurrency: 2}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "UNAUTHENTICATED") {
		t.Fatalf("error %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ops["CreateRole"] > 10 {
		t.Errorf("%d createRole requests after the first was refused", f.ops["CreateRole"])
	}
	if err := generate(ctx, GenerateConfig{URL: srv.URL, Roles: 1, Concurrency: 1}, io.Discard); err == nil {
		t.Error("no error without a token")
	}
}
