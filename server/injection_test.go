package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/finder-platform/finder/graph/graphtest"
	"github.com/finder-platform/finder/model"
)

// injectionShapes are the known shapes of MongoDB / NoSQL injection: query
// operators written as JSON, JavaScript for $where, regular expressions
// (one of them catastrophic), operators in URL-parameter form, aggregation
// variables, dotted paths, NUL, and a long string of operators.
var injectionShapes = []string{
	`{"$gt": ""}`,
	`{"$ne": null}`,
	`{"$where": "sleep(1000)"}`,
	`{"$regex": ".*"}`,
	`{"$in": ["back-end-developer"]}`,
	`{"$or": [{}, {"slug": "data-analyst"}]}`,
	`$where`,
	`$regex`,
	`$$ROOT`,
	`'; return true; var x='`,
	`this.title == 'x' || '1'=='1'`,
	`"; db.roles.drop(); "`,
	`.*`,
	`^.*$`,
	`/.*/i`,
	`(a+)+$`,
	`[$ne]=1`,
	`slug[$regex]=.*`,
	`a.b.c`,
	`\u0000`,
	"\x00",
	"data\x00analyst",
	strings.Repeat(`{"$gt":""}`, 1024), // 10 KB
}

// storeShapes are the shapes also sent to the server that reads from the
// store for every request (each read there costs a few store commands, so
// not all): the operators, JavaScript, the regular expressions, the dotted
// path, NUL and the long string.
var storeShapes = map[string]bool{
	`{"$gt": ""}`: true, `{"$ne": null}`: true, `{"$where": "sleep(1000)"}`: true, `{"$regex": ".*"}`: true,
	`$where`: true, `$$ROOT`: true, `this.title == 'x' || '1'=='1'`: true, `.*`: true, `/.*/i`: true, `(a+)+$`: true,
	`a.b.c`: true, "\x00": true, "data\x00analyst": true, strings.Repeat(`{"$gt":""}`, 1024): true,
}

// TestInjectionShapesAreLiteral sends the injection shapes through every
// argument that reaches a query, on both read paths (two servers on one
// database: one answers from its in-memory replica, the other queries the
// store for every read), and checks that each is only ever literal text: a
// lookup by slug or id finds nothing, a text filter or a search finds what
// the shape's plain words find (nothing, for shapes without letters), and
// the catalog is the same afterwards. JSON objects sent where a string
// belongs are refused by GraphQL's own type checks; slugs shaped like
// operators are refused, and titles and names shaped like them are stored
// as written.
func TestInjectionShapesAreLiteral(t *testing.T) {
	env := testEnv(t, "FINDER_ADMIN_TOKEN", adminToken, "FINDER_RATE_ANONYMOUS", "0", "FINDER_RATE_KEYED", "0", "FINDER_LOADER_WAIT", "1ms")
	_, memory := newTestServer(t, env)
	storeEnv := maps.Clone(env)
	storeEnv["FINDER_READ_FROM"] = "store"
	_, store := newTestServer(t, storeEnv)
	servers := []struct{ name, url string }{{"memory", memory.URL}, {"store", store.URL}}
	url := memory.URL // for writes
	before := catalogFingerprint(t, url, nil)

	t.Run("reads", func(t *testing.T) {
		for _, srv := range servers {
			for i, shape := range injectionShapes {
				if srv.name == "store" && !storeShapes[shape] {
					continue
				}
				t.Run(fmt.Sprintf("%s/%d", srv.name, i), func(t *testing.T) {
					readsAreLiteral(t, srv.url, fmt.Sprintf("%s: shape %d %.40q", srv.name, i, shape), shape)
				})
			}
			// A well-formed cursor whose key and id look like operators is a
			// place in the list like any other: after "{", no title.
			r := post(t, srv.url, `query($c: String) { roles(after: $c) { nodes { slug } pageInfo { hasNextPage } } }`,
				map[string]any{"c": operatorCursor()})
			expect(t, srv.name+": roles after an operator-shaped cursor", r)
			if got := field(t, r, "roles"); got != `{"nodes":[],"pageInfo":{"hasNextPage":false}}` {
				t.Errorf("%s: roles after the cursor %s: %s", srv.name, operatorCursor(), got)
			}
		}
	})
	if after := catalogFingerprint(t, url, nil); after != before {
		t.Fatalf("reads changed the catalog:\nbefore %s\nafter  %s", before, after)
	}

	t.Run("objects", func(t *testing.T) { objectsAreRefused(t, url) })
	t.Run("slugs", func(t *testing.T) {
		var ids struct{ Role struct{ ID string } }
		post(t, url, `{ role(slug: "data-analyst") { id } }`, nil).Decode(t, &ids)
		for i, shape := range injectionShapes {
			slugsAreRefused(t, url, ids.Role.ID, fmt.Sprintf("shape %d %.40q", i, shape), shape)
		}
	})
	if after := catalogFingerprint(t, url, nil); after != before {
		t.Fatalf("refused writes changed the catalog:\nbefore %s\nafter  %s", before, after)
	}

	made := map[string]bool{}
	t.Run("titles", func(t *testing.T) {
		for i, shape := range injectionShapes {
			titlesAreStoredLiterally(t, memory.URL, store.URL, i, shape, made)
		}
	})
	// The entries made are all that changed.
	for _, srv := range servers {
		if after := catalogFingerprint(t, srv.url, made); after != before {
			t.Fatalf("%s: making entries titled like operators changed others:\nbefore %s\nafter  %s", srv.name, before, after)
		}
	}
}

// catalogFingerprint is every role, tool and learning resource (slug,
// version and title) but those in skip, how many roles use each tool, the
// API keys and one role's history: all that a write could change.
func catalogFingerprint(t *testing.T, url string, skip map[string]bool) string {
	t.Helper()
	var lines []string
	for _, list := range []struct{ name, title string }{{"roles", "title"}, {"tools", "name"}, {"learningResources", "title"}} {
		var after any
		for {
			r := postAs(t, url, adminToken, fmt.Sprintf(`query($after: String) { list: %s(first: 100, after: $after) {
				nodes { slug version title: %s } pageInfo { hasNextPage endCursor } } }`, list.name, list.title), map[string]any{"after": after})
			var page struct {
				List struct {
					Nodes []struct {
						Slug, Title string
						Version     int
					}
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			r.Decode(t, &page)
			for _, n := range page.List.Nodes {
				if !skip[list.name+"/"+n.Slug] {
					lines = append(lines, fmt.Sprintf("%s/%s v%d %q", list.name, n.Slug, n.Version, n.Title))
				}
			}
			if !page.List.PageInfo.HasNextPage {
				break
			}
			after = page.List.PageInfo.EndCursor
		}
	}
	r := postAs(t, url, adminToken, `{ toolUsage(first: 100) { roleCount tool { slug } } apiKeys(first: 100) { totalCount nodes { revokedAt } }
		history(id: "Um9sZTplNzYyNDYyNy04ODBlLTU4OGQtYTMzMC1kNDhjNmUwNDVjMjU") { totalCount } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("catalog fingerprint: %+v", r.Errors)
	}
	return strings.Join(lines, "\n") + "\n" + string(r.Data)
}

// expect checks one answer: never a 5xx or INTERNAL_SERVER_ERROR, and
// errors only with the codes allowed (none when none are given).
func expect(t *testing.T, what string, r gqlResponse, allowed ...string) {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("%s: status %d, errors %+v", what, r.Status, r.Errors)
	}
	for _, e := range r.Errors {
		if !slices.Contains(allowed, e.Code()) {
			t.Fatalf("%s: error %q %s; want %v", what, e.Code(), e.Message, allowed)
		}
	}
}

// field returns one root field of an answer's data, as JSON.
func field(t *testing.T, r gqlResponse, name string) string {
	t.Helper()
	var data map[string]json.RawMessage
	if len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, &data); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok := data[name]; ok {
		return string(v)
	}
	return "null"
}

const searchFields = `__typename ... on Role { slug } ... on Tool { slug } ... on LearningResource { slug }`

// errorsByField files an answer's errors under the root field (or alias)
// each is about, checking that each has one of the codes allowed for it.
func errorsByField(t *testing.T, what string, r gqlResponse, allowed map[string][]string) map[string][]string {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("%s: status %d, errors %+v", what, r.Status, r.Errors)
	}
	out := map[string][]string{}
	for _, e := range r.Errors {
		name := ""
		if len(e.Path) > 0 {
			name, _ = e.Path[0].(string)
		}
		if !slices.Contains(allowed[name], e.Code()) {
			t.Fatalf("%s: %s: error %q %s; want one of %v", what, name, e.Code(), e.Message, allowed[name])
		}
		out[name] = append(out[name], e.Code())
	}
	return out
}

// readsAreLiteral sends one shape, as a string variable, to every read
// that looks something up by it; a few requests, each asking many fields.
// What a text filter, a search or a skill finds is compared with what the
// same server finds for the shape's plain words: nothing, when it has none.
func readsAreLiteral(t *testing.T, url, what, shape string) {
	t.Helper()
	long := len(shape) > model.MaxSearchLen
	plain := strings.Join(model.Words(shape), " ")
	comparePlain := plain != ""
	refused := []string{"BAD_USER_INPUT", "NOT_FOUND"}

	// Lookups by slug and id find nothing; slugs that must name a role are
	// NOT_FOUND (or refused).
	r := post(t, url, `query($s: String!, $id: ID!) {
		role(slug: $s) { slug title } tool(slug: $s) { slug name } learningResource(slug: $s) { slug title }
		node(id: $id) { id }
		from: careerPath(from: $s, to: "data-analyst") { totalNewTools }
		to: careerPath(from: "data-analyst", to: $s) { totalNewTools } }`, map[string]any{"s": shape, "id": shape})
	errs := errorsByField(t, what+": lookups", r, map[string][]string{"node": refused, "from": refused, "to": refused})
	if string(r.Data) != `{"role":null,"tool":null,"learningResource":null,"node":null,"from":null,"to":null}` ||
		len(errs["from"]) == 0 || len(errs["to"]) == 0 {
		t.Errorf("%s: lookups answered %s with errors %v", what, r.Data, errs)
	}

	// Arguments that must name existing entries are refused whole, and a
	// cursor must be one of ours.
	r = post(t, url, `query($s: String!) {
		usesTools: roles(filter: {usesTools: [$s]}) { totalCount }
		first: compareRoles(slugs: [$s, "data-analyst"]) { roles { slug } }
		later: compareRoles(slugs: ["data-analyst", $s, $s]) { roles { slug } }
		after: roles(after: $s) { totalCount } }`, map[string]any{"s": shape})
	errs = errorsByField(t, what+": names", r, map[string][]string{"usesTools": refused, "first": refused, "later": refused, "after": {"BAD_USER_INPUT"}})
	if string(r.Data) != "null" || len(errs["usesTools"]) == 0 || len(errs["first"]) == 0 || len(errs["later"]) == 0 || len(errs["after"]) == 0 {
		t.Errorf("%s: names answered %s with errors %v", what, r.Data, errs)
	}

	// Text filters and search find what the shape's plain words find:
	// nothing, for a shape without letters or digits. Text over the limit
	// is refused.
	texts := []string{"roles", "tools", "learningResources", "search"}
	textQuery := func(prefix, variable string) string {
		return fmt.Sprintf(`%[1]sroles: roles(first: 10, filter: {text: %[2]s}) { totalCount nodes { slug } }
			%[1]stools: tools(first: 10, filter: {text: %[2]s}) { totalCount nodes { slug } }
			%[1]slearningResources: learningResources(first: 10, filter: {text: %[2]s}) { totalCount nodes { slug } }
			%[1]ssearch: search(query: %[2]s, first: 10) { `+searchFields+` }`, prefix, variable)
	}
	if long {
		r = post(t, url, `query($s: String!) { `+textQuery("", "$s")+` }`, map[string]any{"s": shape})
		errs = errorsByField(t, what+": text", r, map[string][]string{"roles": {"BAD_USER_INPUT"}, "tools": {"BAD_USER_INPUT"},
			"learningResources": {"BAD_USER_INPUT"}, "search": {"BAD_USER_INPUT"}})
		for _, name := range texts {
			if string(r.Data) != "null" || len(errs[name]) == 0 {
				t.Errorf("%s: %s took %d bytes of text: %.300s, errors %v", what, name, len(shape), r.Data, errs)
			}
		}
	} else {
		query, vars := `query($s: String!) { `+textQuery("", "$s")+` }`, map[string]any{"s": shape}
		if comparePlain {
			query, vars = `query($s: String!, $p: String!) { `+textQuery("", "$s")+textQuery("plain_", "$p")+` }`, map[string]any{"s": shape, "p": plain}
		}
		r = post(t, url, query, vars)
		errorsByField(t, what+": text", r, nil)
		for _, name := range texts {
			got := field(t, r, name)
			want := `{"totalCount":0,"nodes":[]}`
			if name == "search" {
				want = `[]`
			}
			if comparePlain {
				want = field(t, r, "plain_"+name)
			}
			if got != want {
				t.Errorf("%s: %s found %.300s; the plain words %q find %.300s", what, name, got, plain, want)
			}
		}
	}

	// matchRoles: the tool is unknown (reported beside the answer), and the
	// skill matches what its plain words match.
	const match = `%s: matchRoles(toolSlugs: [$s], skills: [%s], first: 10) { score role { slug } matchedSkills }`
	query, vars := `query($s: String!) { `+fmt.Sprintf(match, "shape", "$s")+` }`, map[string]any{"s": shape}
	if comparePlain && !long {
		query, vars = `query($s: String!, $p: String!) { `+fmt.Sprintf(match, "shape", "$s")+" "+fmt.Sprintf(match, "plain", "$p")+` }`, map[string]any{"s": shape, "p": plain}
	}
	r = post(t, url, query, vars)
	want := field(t, r, "plain")
	errs = errorsByField(t, what+": matchRoles", r, map[string][]string{"shape": {"BAD_USER_INPUT"}, "plain": {"BAD_USER_INPUT"}})
	switch got := field(t, r, "shape"); {
	case long:
		if got != "null" || len(errs["shape"]) == 0 {
			t.Errorf("%s: matchRoles took %d bytes of skill: %.300s", what, len(shape), r.Data)
		}
	case len(errs["shape"]) != 1 || r.Errors[0].Extensions["field"] != "toolSlugs[0]":
		t.Errorf("%s: matchRoles errors %+v; want one, for toolSlugs[0]", what, r.Errors)
	case plain == "" && got != "[]":
		t.Errorf("%s: matchRoles found %.300s for a skill without words", what, got)
	case plain != "" && got != want:
		t.Errorf("%s: matchRoles found %.300s; the plain words %q find %.300s", what, got, plain, want)
	}
}

// objectsAreRefused sends JSON objects and arrays where strings belong:
// GraphQL's type checks refuse them before any resolver runs.
func objectsAreRefused(t *testing.T, url string) {
	t.Helper()
	operators := []any{
		map[string]any{"$gt": ""},
		map[string]any{"$ne": nil},
		map[string]any{"$regex": ".*", "$options": "i"},
		map[string]any{"$where": "sleep(1000)"},
		map[string]any{"$in": []any{"back-end-developer", "data-analyst"}},
		[]any{map[string]any{"$gt": ""}},
		map[string]any{"$or": []any{map[string]any{}, map[string]any{"slug": "data-analyst"}}},
	}
	stringArgs := []string{
		`query($s: String!) { role(slug: $s) { slug } }`,
		`query($s: String!) { tool(slug: $s) { slug } }`,
		`query($s: String!) { learningResource(slug: $s) { slug } }`,
		`query($s: ID!) { node(id: $s) { id } }`,
		`query($s: String) { roles(filter: {text: $s}) { totalCount } }`,
		`query($s: [String!]) { roles(filter: {usesTools: $s}) { totalCount } }`,
		`query($s: String) { tools(filter: {text: $s}) { totalCount } }`,
		`query($s: String) { learningResources(filter: {text: $s}) { totalCount } }`,
		`query($s: String!) { search(query: $s) { __typename } }`,
		`query($s: String!) { careerPath(from: $s, to: "data-analyst") { totalNewTools } }`,
		`query($s: String!) { careerPath(from: "data-analyst", to: $s) { totalNewTools } }`,
		`query($s: [String!]!) { compareRoles(slugs: $s) { roles { slug } } }`,
		`query($s: [String!]!) { matchRoles(toolSlugs: $s) { score } }`,
		`query($s: [String!]) { matchRoles(toolSlugs: [], skills: $s) { score } }`,
		`query($s: String) { roles(after: $s) { totalCount } }`,
		`mutation($s: String!) { createTool(input: {slug: $s, name: "Probe", category: OTHER}) { id } }`,
		`mutation($s: String!) { createTool(input: {slug: "probe", name: $s, category: OTHER}) { id } }`,
		`mutation($s: String!) { relateRoles(from: $s, to: "data-analyst", kind: NEXT_STEP) { kind } }`,
		`mutation($s: String!) { unsubscribeNewsletter(token: $s) }`,
		`mutation($s: String!) { subscribeNewsletter(email: $s, consent: true) { id } }`,
	}
	refused := func(what, query string, vars map[string]any) {
		t.Helper()
		r := postAs(t, url, adminToken, query, vars)
		expect(t, what, r, "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")
		if len(r.Errors) == 0 || (len(r.Data) > 0 && string(r.Data) != "null") {
			t.Errorf("%s: answered %s with errors %v; want a refusal", what, r.Data, r.Codes())
		}
	}
	for _, q := range stringArgs {
		for _, op := range operators {
			refused(fmt.Sprintf("%s with %v", q, op), q, map[string]any{"s": op})
		}
	}
	// Operators inside input objects: as a field's value, or as a field of
	// their own.
	for _, tc := range []struct {
		query string
		value any
	}{
		{`query($f: RoleFilter) { roles(filter: $f) { totalCount } }`, map[string]any{"text": map[string]any{"$gt": ""}}},
		{`query($f: RoleFilter) { roles(filter: $f) { totalCount } }`, map[string]any{"$where": "sleep(1000)"}},
		{`query($f: RoleFilter) { roles(filter: $f) { totalCount } }`, map[string]any{"text": "data", "$or": []any{map[string]any{}}}},
		{`query($f: RoleFilter) { roles(filter: $f) { totalCount } }`, map[string]any{"usesTools": map[string]any{"$ne": nil}}},
		{`query($f: RoleFilter) { roles(filter: $f) { totalCount } }`, map[string]any{"families": map[string]any{"$in": []any{"DATA"}}}},
		{`query($f: ToolFilter) { tools(filter: $f) { totalCount } }`, map[string]any{"text": map[string]any{"$regex": ".*"}}},
		{`query($f: LearningResourceFilter) { learningResources(filter: $f) { totalCount } }`, map[string]any{"free": map[string]any{"$ne": nil}}},
		{`query($f: RoleOrder) { roles(orderBy: $f) { totalCount } }`, map[string]any{"field": map[string]any{"$natural": 1}}},
		{`mutation($f: ToolInput!) { createTool(input: $f) { id } }`, map[string]any{"slug": map[string]any{"$gt": ""}, "name": "Probe", "category": "OTHER"}},
		{`mutation($f: ToolInput!) { createTool(input: $f) { id } }`, map[string]any{"slug": "probe", "name": "Probe", "category": "OTHER", "$set": map[string]any{"version": 99}}},
		{`mutation($f: RoleInput!) { createRole(input: $f) { id } }`, func() any { r := newRole("probe-role"); r["slug"] = map[string]any{"$ne": nil}; return r }()},
		{`mutation($f: RoleInput!) { createRole(input: $f) { id } }`, func() any {
			r := newRole("probe-role")
			r["toolSlugs"] = map[string]any{"$in": []any{"python"}}
			return r
		}()},
		{`mutation($f: ApiKeyInput!) { createApiKey(input: $f) { secret } }`, map[string]any{"name": map[string]any{"$gt": ""}, "scopes": []any{"READ"}}},
		{`query($f: JSON) { role(slug: $f) { slug } }`, map[string]any{"$gt": ""}},
	} {
		refused(fmt.Sprintf("%s with %v", tc.query, tc.value), tc.query, map[string]any{"f": tc.value})
	}
}

// slugsAreRefused sends one shape as the slug of every kind of write, in
// one request: each is BAD_USER_INPUT naming the slug's field.
func slugsAreRefused(t *testing.T, url, roleID, what, shape string) {
	t.Helper()
	r := postAs(t, url, adminToken, `mutation($in: RoleInput!, $s: String!, $id: ID!) {
		createRole(input: $in) { id }
		createTool(input: {slug: $s, name: "Injection Probe", category: OTHER}) { id }
		createLearningResource(input: {slug: $s, title: "Probe", provider: "Tests", url: "https://example.com/", kind: COURSE, description: "d"}) { id }
		relateRoles(from: $s, to: "data-analyst", kind: NEXT_STEP) { kind }
		attachTools(roleId: $id, toolSlugs: [$s]) { version }
		attachLearningResources(roleId: $id, learningResourceSlugs: [$s]) { version } }`,
		map[string]any{"in": newRole(shape), "s": shape, "id": roleID})
	expect(t, what, r, "BAD_USER_INPUT")
	fields := map[string]string{}
	for _, e := range r.Errors {
		name, _ := e.Path[0].(string)
		f, _ := e.Extensions["field"].(string)
		fields[name] += f + " "
	}
	for mutation, field := range map[string]string{"createRole": "input.slug ", "createTool": "input.slug ", "createLearningResource": "input.slug ",
		"relateRoles": "from ", "attachTools": "toolSlugs[0] ", "attachLearningResources": "learningResourceSlugs[0] "} {
		// An attach names the slug by its place in its own argument.
		if !strings.Contains(fields[mutation], field) || strings.HasPrefix(mutation, "attach") && fields[mutation] != field {
			t.Errorf("%s: %s answered errors for %q; want BAD_USER_INPUT for %s (data %s)", what, mutation, fields[mutation], strings.TrimSpace(field), r.Data)
		}
	}
}

// titlesAreStoredLiterally makes a role titled with the shape (which
// also holds it as a skill) and, for the first shapes, a tool named with
// it, and reads both back,
// from the replica and from the store: they are as written. Shapes that
// are not valid text (NUL, too long) or make no slug are refused.
func titlesAreStoredLiterally(t *testing.T, memoryURL, storeURL string, i int, shape string, made map[string]bool) {
	t.Helper()
	what := fmt.Sprintf("shape %d %.40q", i, shape)
	validText := utf8.RuneCountInString(shape) <= model.MaxTitleLen && strings.TrimSpace(shape) != "" &&
		!strings.ContainsFunc(shape, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' })

	slug := fmt.Sprintf("injection-title-%d", i)
	in := newRole(slug)
	in["title"], in["skills"], in["toolSlugs"], in["learningResourceSlugs"] = shape, []string{shape}, []string{}, []string{}
	r := postAs(t, memoryURL, adminToken, `mutation($in: RoleInput!) { createRole(input: $in) { title skills } }`, map[string]any{"in": in})
	if !validText {
		expect(t, what+": createRole", r, "BAD_USER_INPUT")
		if len(r.Errors) == 0 {
			t.Errorf("%s: a role titled %.40q was made", what, shape)
		}
	} else {
		made["roles/"+slug] = true
		want := fmt.Sprintf(`{"title":%s,"skills":[%[1]s]}`, mustJSON(shape))
		if got := field(t, r, "createRole"); got != want {
			t.Errorf("%s: createRole answered %s, errors %+v; want %s", what, got, r.Errors, want)
		}
		for _, url := range []string{memoryURL, storeURL} {
			if got, errs := readBack(t, url, `query($s: String!) { role(slug: $s) { title skills } }`, slug, "role", want); got != want {
				t.Errorf("%s: read back as %s, errors %+v; want %s", what, got, errs, want)
			}
		}
	}

	if i >= 8 {
		return // names: the JSON operators, $where and $regex are enough; each tool made is a journaled write
	}
	toolSlug := model.Slugify(shape)
	r = postAs(t, memoryURL, adminToken, `mutation($s: String!, $n: String!) { createTool(input: {slug: $s, name: $n, category: OTHER}) { name } }`,
		map[string]any{"s": toolSlug, "n": shape})
	switch {
	case !validText || !model.ValidSlug(toolSlug):
		expect(t, what+": createTool", r, "BAD_USER_INPUT")
		if len(r.Errors) == 0 {
			t.Errorf("%s: a tool named %.40q was made", what, shape)
		}
	case len(r.Errors) > 0 && r.Errors[0].Code() == "CONFLICT":
		// Another shape, or the catalog, has a tool with this slug already.
		expect(t, what+": createTool", r, "CONFLICT")
	default:
		made["tools/"+toolSlug] = true
		want := fmt.Sprintf(`{"name":%s}`, mustJSON(shape))
		if got := field(t, r, "createTool"); got != want {
			t.Errorf("%s: createTool answered %s, errors %+v; want %s", what, got, r.Errors, want)
		}
		for _, url := range []string{memoryURL, storeURL} {
			if got, errs := readBack(t, url, `query($s: String!) { tool(slug: $s) { name } }`, toolSlug, "tool", want); got != want {
				t.Errorf("%s: tool read back as %s, errors %+v; want %s", what, got, errs, want)
			}
		}
	}
}

// readBack reads an entry by slug until it answers want, for up to five
// seconds: the instance that reads the store sees another's write once the
// projector has written it into the collections, just after the commit.
func readBack(t *testing.T, url, query, slug, name, want string) (string, []graphtest.Error) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		back := post(t, url, query, map[string]any{"s": slug})
		got := field(t, back, name)
		if got == want || time.Now().After(deadline) {
			return got, back.Errors
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// operatorCursor is a well-formed cursor whose key and id are shaped like
// operators: a literal place in the list, never a condition.
func operatorCursor() string {
	b, _ := json.Marshal(model.Cursor{Key: `{"$gt": ""}`, ID: `{"$ne": null}`})
	return base64.RawURLEncoding.EncodeToString(b)
}
