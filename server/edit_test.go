package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/finder-platform/finder/graph/graphtest"
)

const adminToken = "test-admin-token-0123456789abcdef"

// editServer is a fresh server with the catalog and a bootstrap admin key.
func editServer(t *testing.T) string {
	t.Helper()
	_, srv := newTestServer(t, testEnv(t, "FINDER_ADMIN_TOKEN", adminToken))
	return srv.URL
}

// postAs sends a query with an API key ("" for none).
func postAs(t testing.TB, url, key, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return graphtest.Post(t, url, key, query, vars)
}

// newRole is a valid RoleInput for a test role.
func newRole(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "title": "Test " + slug, "family": "DATA", "tagline": "A role made by a test.",
		"description": "It exists to be tested.", "skills": []string{"Testing"},
		"responsibilities": []string{"Being tested"}, "toolSlugs": []string{"python", "sql"},
		"advantages": []string{"Always passes"}, "disadvantages": []string{"Sometimes fails"},
		"goodFit": "If you like tests.", "learningResourceSlugs": []string{"sqlbolt"},
	}
}

const createRole = `mutation($in: RoleInput!) { createRole(input: $in) { id slug version tools { slug } learningResources { slug } } }`

type roleAnswer struct {
	ID      string
	Slug    string
	Title   string
	Version int
	Tools   []struct{ Slug string }
}

func mustCreateRole(t *testing.T, url, slug string) roleAnswer {
	t.Helper()
	return mustCreateRoleAs(t, url, adminToken, slug)
}

// mustCreateRoleAs creates a role with the given key.
func mustCreateRoleAs(t *testing.T, url, key, slug string) roleAnswer {
	t.Helper()
	var got struct{ CreateRole roleAnswer }
	postAs(t, url, key, createRole, map[string]any{"in": newRole(slug)}).Decode(t, &got)
	return got.CreateRole
}

// roleCount counts roles, to check that a refused write added none.
func roleCount(t *testing.T, url string) int {
	var got struct{ Roles struct{ TotalCount int } }
	post(t, url, `{ roles { totalCount } }`, nil).Decode(t, &got)
	return got.Roles.TotalCount
}

func TestCreateRoleAndReadItBack(t *testing.T) {
	url := editServer(t)
	r := mustCreateRole(t, url, "test-role")
	if r.Version != 1 || len(r.Tools) != 2 || r.Tools[0].Slug != "python" {
		t.Fatalf("created %+v", r)
	}
	var got struct{ Role roleAnswer }
	post(t, url, `{ role(slug: "test-role") { id slug title version tools { slug } } }`, nil).Decode(t, &got)
	if got.Role.ID != r.ID || got.Role.Title != "Test test-role" {
		t.Errorf("read back %+v", got.Role)
	}
	var tool struct {
		Tool struct{ Roles []struct{ Slug string } }
	}
	post(t, url, `{ tool(slug: "python") { roles { slug } } }`, nil).Decode(t, &tool)
	if !strings.Contains(string(mustJSON(tool)), `"test-role"`) {
		t.Errorf("python's roles do not list the new role: %s", mustJSON(tool))
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func TestMutationsNeedAKeyWithTheScope(t *testing.T) {
	url := editServer(t)
	before := roleCount(t, url)
	in := map[string]any{"in": newRole("no-key-role")}

	r := postAs(t, url, "", createRole, in)
	r.OnlyCode(t, "UNAUTHENTICATED")

	var key struct{ CreateApiKey struct{ Secret string } }
	postAs(t, url, adminToken, `mutation { createApiKey(input: {name: "Acme partner", scopes: [READ]}) { secret } }`, nil).Decode(t, &key)
	postAs(t, url, key.CreateApiKey.Secret, createRole, in).OnlyCode(t, "FORBIDDEN")

	for name, bad := range map[string]string{"unknown": "fk_not-a-real-key-at-all", "malformed": "Basic abc", "no secret": "Bearer"} {
		req, _ := http.NewRequest(http.MethodPost, url+"/graphql", strings.NewReader(`{"query":"{ viewer { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if name == "unknown" {
			bad = "Bearer " + bad
		}
		req.Header.Set("Authorization", bad)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), `"UNAUTHENTICATED"`) {
			t.Errorf("%s key: %d %s", name, resp.StatusCode, body)
		}
	}
	if n := roleCount(t, url); n != before {
		t.Errorf("%d roles after refused writes, want %d", n, before)
	}
}

func TestInvalidInputWritesNothing(t *testing.T) {
	url := editServer(t)
	before := roleCount(t, url)
	for name, tc := range map[string]struct {
		edit  func(map[string]any)
		field string
	}{
		"slug":          {func(m map[string]any) { m["slug"] = "Not A Slug" }, "input.slug"},
		"operator slug": {func(m map[string]any) { m["slug"] = `{"$gt": ""}` }, "input.slug"},
		"huge title":    {func(m map[string]any) { m["title"] = strings.Repeat("x", 100_000) }, "input.title"},
		"empty tagline": {func(m map[string]any) { m["tagline"] = "   " }, "input.tagline"},
		"many skills":   {func(m map[string]any) { m["skills"] = make([]string, 31) }, "input.skills"},
		"unknown tool":  {func(m map[string]any) { m["toolSlugs"] = []string{"python", "cobol-on-cogs"} }, "input.toolSlugs[1]"},
		"tool twice":    {func(m map[string]any) { m["toolSlugs"] = []string{"python", "python"} }, "input.toolSlugs[1]"},
		"unknown course": {func(m map[string]any) { m["learningResourceSlugs"] = []string{"nope"} },
			"input.learningResourceSlugs[0]"},
		"javascript url": {func(m map[string]any) {
			m["salary"] = map[string]any{"currency": "USD", "period": "YEAR", "min": 1, "median": 2, "max": 3,
				"region": "US", "basis": "Software Developers", "source": "x", "sourceUrl": "javascript:alert(1)", "year": 2024}
		}, "input.salary.sourceUrl"},
		"salary order": {func(m map[string]any) {
			m["salary"] = map[string]any{"currency": "usd", "period": "YEAR", "min": 9, "median": 2, "max": 3,
				"region": "US", "basis": "Software Developers", "source": "x", "year": 2024}
		}, "input.salary.min"},
		"occupation code": {func(m map[string]any) {
			m["occupations"] = []map[string]any{{"system": "ONET_SOC", "code": "151252", "title": "Software Developers",
				"match": "BROADER", "url": "https://www.onetonline.org/link/summary/15-1252.00"}}
		}, "input.occupations[0].code"},
		"source over http": {func(m map[string]any) {
			m["sources"] = []map[string]any{{"title": "OOH", "publisher": "BLS", "url": "http://www.bls.gov/ooh/", "accessed": "2026-12-01"}}
		}, "input.sources[0].url"},
		"review day ahead": {func(m map[string]any) { m["reviewedOn"] = "2999-01-01" }, "input.reviewedOn"},
	} {
		t.Run(name, func(t *testing.T) {
			in := newRole("invalid-role")
			tc.edit(in)
			r := postAs(t, url, adminToken, createRole, map[string]any{"in": in})
			r.OnlyCode(t, "BAD_USER_INPUT")
			found := false
			for _, e := range r.Errors {
				found = found || e.Extensions["field"] == tc.field
			}
			if !found {
				t.Errorf("errors %+v; want one for %s", r.Errors, tc.field)
			}
		})
	}
	// An unknown enum value is refused before the mutation runs.
	in := newRole("invalid-role")
	in["family"] = "ASTROLOGY"
	postAs(t, url, adminToken, createRole, map[string]any{"in": in}).OnlyCode(t, "BAD_USER_INPUT")
	if n := roleCount(t, url); n != before {
		t.Errorf("%d roles after refused writes, want %d", n, before)
	}
}

func TestValuesThatLookLikeOperatorsAreStoredLiterally(t *testing.T) {
	url := editServer(t)
	in := newRole("literal-role")
	in["title"] = `{"$gt": ""}`
	in["skills"] = []string{"$where", "$ne"}
	var got struct{ CreateRole struct{ Title string } }
	postAs(t, url, adminToken, `mutation($in: RoleInput!) { createRole(input: $in) { title } }`, map[string]any{"in": in}).Decode(t, &got)
	var back struct {
		Role struct {
			Title  string
			Skills []string
		}
	}
	post(t, url, `{ role(slug: "literal-role") { title skills } }`, nil).Decode(t, &back)
	if back.Role.Title != `{"$gt": ""}` || strings.Join(back.Role.Skills, ",") != "$where,$ne" {
		t.Errorf("stored %+v", back.Role)
	}
}

func TestStaleVersionAndTakenSlugAreConflicts(t *testing.T) {
	url := editServer(t)
	r := mustCreateRole(t, url, "versioned-role")
	const update = `mutation($id: ID!, $in: RoleInput!, $v: Int!) { updateRole(id: $id, input: $in, expectedVersion: $v) { version title } }`
	in := newRole("versioned-role")
	in["title"] = "First edit"
	var ok struct{ UpdateRole struct{ Version int } }
	postAs(t, url, adminToken, update, map[string]any{"id": r.ID, "in": in, "v": 1}).Decode(t, &ok)
	if ok.UpdateRole.Version != 2 {
		t.Fatalf("version after one update = %d", ok.UpdateRole.Version)
	}
	in["title"] = "Lost edit"
	postAs(t, url, adminToken, update, map[string]any{"id": r.ID, "in": in, "v": 1}).OnlyCode(t, "CONFLICT")
	var back struct {
		Role struct {
			Title   string
			Version int
		}
	}
	post(t, url, `{ role(slug: "versioned-role") { title version } }`, nil).Decode(t, &back)
	if back.Role.Title != "First edit" || back.Role.Version != 2 {
		t.Errorf("after a stale update the role is %+v; want it as the first edit left it", back.Role)
	}
	// A taken slug, on create and on rename.
	postAs(t, url, adminToken, createRole, map[string]any{"in": newRole("back-end-developer")}).OnlyCode(t, "CONFLICT")
	in["slug"] = "back-end-developer"
	postAs(t, url, adminToken, update, map[string]any{"id": r.ID, "in": in, "v": 2}).OnlyCode(t, "CONFLICT")
}

func TestRelationsReadFromBothEndsAndDeleteRemovesThem(t *testing.T) {
	url := editServer(t)
	a, b := mustCreateRole(t, url, "role-a"), mustCreateRole(t, url, "role-b")
	// The mutation's answer already sees the new link: the loaders forgot
	// what they read before the write.
	var rel struct {
		RelateRoles struct {
			Kind string
			Role struct {
				Slug         string
				Version      int
				RelatedRoles []struct {
					Kind string
					Role struct{ Slug string }
				}
			}
		}
	}
	postAs(t, url, adminToken, `mutation { relateRoles(from: "role-a", to: "role-b", kind: NEXT_STEP, note: "Grow") {
		kind role { slug version relatedRoles { kind role { slug } } } } }`, nil).Decode(t, &rel)
	rb := rel.RelateRoles.Role
	if rel.RelateRoles.Kind != "NEXT_STEP" || rb.Version != 2 || len(rb.RelatedRoles) != 1 ||
		rb.RelatedRoles[0].Kind != "PREVIOUS_STEP" || rb.RelatedRoles[0].Role.Slug != "role-a" {
		t.Fatalf("relateRoles answered %+v", rel.RelateRoles)
	}
	postAs(t, url, adminToken, `mutation { relateRoles(from: "role-a", to: "role-a", kind: NEXT_STEP) { kind } }`, nil).OnlyCode(t, "BAD_USER_INPUT")
	postAs(t, url, adminToken, `mutation { relateRoles(from: "role-a", to: "nobody", kind: NEXT_STEP) { kind } }`, nil).OnlyCode(t, "BAD_USER_INPUT")

	var del struct{ DeleteRole string }
	postAs(t, url, adminToken, `mutation($id: ID!) { deleteRole(id: $id) }`, map[string]any{"id": a.ID}).Decode(t, &del)
	var back struct {
		A *struct{ Slug string }
		B struct {
			Version      int
			RelatedRoles []any
		}
	}
	post(t, url, `{ a: role(slug: "role-a") { slug } b: role(slug: "role-b") { version relatedRoles { kind } } }`, nil).Decode(t, &back)
	if del.DeleteRole != a.ID || back.A != nil || back.B.Version != 3 || len(back.B.RelatedRoles) != 0 {
		t.Errorf("after deleting role-a: %+v (deleted %q)", back, del.DeleteRole)
	}
	_ = b
}

func TestDeletingAUsedToolIsRefusedUnlessDetached(t *testing.T) {
	url := editServer(t)
	var tool struct {
		Tool struct {
			ID    string
			Roles []struct{ Slug string }
		}
	}
	post(t, url, `{ tool(slug: "flask") { id roles { slug } } }`, nil).Decode(t, &tool)
	r := postAs(t, url, adminToken, `mutation($id: ID!) { deleteTool(id: $id) }`, map[string]any{"id": tool.Tool.ID})
	r.OnlyCode(t, "CONFLICT")
	users := fmt.Sprintf("still used by %d roles:", len(tool.Tool.Roles))
	if len(tool.Tool.Roles) == 1 {
		users = "still used by 1 role:"
	}
	if msg := r.Errors[0].Message; !strings.Contains(msg, "back-end-developer") || !strings.Contains(msg, users) {
		t.Errorf("message %q does not name the roles, or does not say %q", msg, users)
	}
	postAs(t, url, adminToken, `mutation($id: ID!) { deleteTool(id: $id, detach: true) }`, map[string]any{"id": tool.Tool.ID}).Decode(t, &struct{}{})
	var back struct {
		Tool *struct{ Name string }
		Role struct {
			Version int
			Tools   []struct{ Slug string }
		}
	}
	post(t, url, `{ tool(slug: "flask") { name } role(slug: "back-end-developer") { version tools { slug } } }`, nil).Decode(t, &back)
	if back.Tool != nil || back.Role.Version != 2 || strings.Contains(string(mustJSON(back.Role.Tools)), "flask") {
		t.Errorf("after deleting flask with detach: %+v", back)
	}
}

func TestHistoryRecordsWhoChangedWhatNewestFirst(t *testing.T) {
	url := editServer(t)
	var key struct{ CreateApiKey struct{ Secret string } }
	postAs(t, url, adminToken, `mutation { createApiKey(input: {name: "Editor Ada", scopes: [WRITE]}) { secret } }`, nil).Decode(t, &key)
	editor := key.CreateApiKey.Secret
	r := mustCreateRole(t, url, "history-role")
	in := newRole("history-role")
	in["title"] = "Renamed by Ada"
	postAs(t, url, editor, `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in, expectedVersion: 1) { version } }`,
		map[string]any{"id": r.ID, "in": in}).Decode(t, &struct{}{})
	postAs(t, url, editor, `mutation($id: ID!) { attachTools(roleId: $id, toolSlugs: ["git"]) { version } }`, map[string]any{"id": r.ID}).Decode(t, &struct{}{})

	const history = `query($id: ID!, $after: String) { history(id: $id, first: 2, after: $after) {
		totalCount pageInfo { hasNextPage endCursor }
		nodes { actor operation action version fields { field before after } } } }`
	var page struct {
		History struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Nodes []struct {
				Actor, Operation, Action string
				Version                  int
				Fields                   []struct {
					Field         string
					Before, After any
				}
			}
		}
	}
	postAs(t, url, editor, history, map[string]any{"id": r.ID}).Decode(t, &page)
	h := page.History
	if h.TotalCount != 3 || !h.PageInfo.HasNextPage || len(h.Nodes) != 2 {
		t.Fatalf("history page: %+v", h)
	}
	if n := h.Nodes[0]; n.Operation != "attachTools" || n.Actor != "Editor Ada" || n.Version != 3 ||
		len(n.Fields) != 1 || n.Fields[0].Field != "toolSlugs" {
		t.Errorf("newest change: %+v", n)
	}
	if n := h.Nodes[1]; n.Operation != "updateRole" || n.Fields[0].Field != "title" ||
		n.Fields[0].Before != "Test history-role" || n.Fields[0].After != "Renamed by Ada" {
		t.Errorf("second change: %+v", n)
	}
	postAs(t, url, editor, history, map[string]any{"id": r.ID, "after": h.PageInfo.EndCursor}).Decode(t, &page)
	if len(page.History.Nodes) != 1 || page.History.Nodes[0].Action != "CREATED" || page.History.Nodes[0].Actor != "bootstrap admin" {
		t.Errorf("last page: %+v", page.History)
	}
	postAs(t, url, "", history, map[string]any{"id": r.ID}).OnlyCode(t, "UNAUTHENTICATED")
}

func TestKeysAreShownOnceAndRevokedAtOnce(t *testing.T) {
	url := editServer(t)
	var made struct {
		CreateApiKey struct {
			Secret string
			ApiKey struct{ ID, Prefix string }
		}
	}
	postAs(t, url, adminToken, `mutation { createApiKey(input: {name: "Temp", scopes: [WRITE, READ]}) { secret apiKey { id prefix } } }`, nil).Decode(t, &made)
	secret := made.CreateApiKey.Secret
	if !strings.HasPrefix(secret, made.CreateApiKey.ApiKey.Prefix) || len(secret) < 30 {
		t.Fatalf("secret %q, prefix %q", secret, made.CreateApiKey.ApiKey.Prefix)
	}
	var me struct{ Viewer struct{ Name string } }
	postAs(t, url, secret, `{ viewer { name } }`, nil).Decode(t, &me)
	if me.Viewer.Name != "Temp" {
		t.Errorf("viewer = %+v", me.Viewer)
	}
	list := postAs(t, url, adminToken, `{ apiKeys { nodes { name prefix scopes } } }`, nil)
	if strings.Contains(string(list.Data), secret) || !strings.Contains(string(list.Data), `"Temp"`) {
		t.Errorf("apiKeys: %s", list.Data)
	}
	postAs(t, url, secret, `{ apiKeys { nodes { name } } }`, nil).OnlyCode(t, "FORBIDDEN")
	postAs(t, url, adminToken, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
		map[string]any{"id": made.CreateApiKey.ApiKey.ID}).Decode(t, &struct{}{})
	if r := postAs(t, url, secret, `{ viewer { name } }`, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a revoked key answered %d %v", r.Status, r.Codes())
	}
}

func TestNewsletterIsIdempotentAndForgets(t *testing.T) {
	url := editServer(t)
	const sub = `mutation($e: String!, $c: Boolean!) { subscribeNewsletter(email: $e, consent: $c) { id email subscribedAt unsubscribeToken } }`
	type answer struct {
		SubscribeNewsletter struct{ ID, Email, SubscribedAt, UnsubscribeToken string }
	}
	var first, second answer
	post(t, url, sub, map[string]any{"e": "  Ada@Example.COM ", "c": true}).Decode(t, &first)
	post(t, url, sub, map[string]any{"e": "ada@example.com", "c": true}).Decode(t, &second)
	f, s := first.SubscribeNewsletter, second.SubscribeNewsletter
	if f.Email != "ada@example.com" || f.ID != s.ID || f.SubscribedAt != s.SubscribedAt || f.UnsubscribeToken == s.UnsubscribeToken {
		t.Errorf("subscriptions %+v and %+v: want one, with a new token", f, s)
	}
	post(t, url, sub, map[string]any{"e": "bob@example.com", "c": false}).OnlyCode(t, "BAD_USER_INPUT")
	post(t, url, sub, map[string]any{"e": "not an address", "c": true}).OnlyCode(t, "BAD_USER_INPUT")
	const unsub = `mutation($t: String!) { unsubscribeNewsletter(token: $t) }`
	var out struct{ UnsubscribeNewsletter bool }
	post(t, url, unsub, map[string]any{"t": f.UnsubscribeToken}).Decode(t, &out)
	if out.UnsubscribeNewsletter {
		t.Error("the replaced token still unsubscribed")
	}
	post(t, url, unsub, map[string]any{"t": s.UnsubscribeToken}).Decode(t, &out)
	if !out.UnsubscribeNewsletter {
		t.Error("the current token did not unsubscribe")
	}
	post(t, url, unsub, map[string]any{"t": s.UnsubscribeToken}).Decode(t, &out)
	if out.UnsubscribeNewsletter {
		t.Error("unsubscribed twice")
	}
}
