package main

import (
	"fmt"
	"testing"
	"time"
)

// rolePageShape is the web client's heaviest read: roles with their tools,
// resources, and related roles with their tools.
const rolePageShape = `query($first: Int) { roles(first: $first) { edges { node {
	title tools { name category } learningResources { title url }
	relatedRoles { kind note role { title tools { name } } } } } } }`

// TestCommandsDoNotGrowWithTheList checks the loaders' promise when they
// read the store: a list of 50 roles with their links costs the same number
// of database commands as a list of 5, counted by the server's own
// finder_db_commands_total.
func TestCommandsDoNotGrowWithTheList(t *testing.T) {
	// The replica's polling is slowed down so that it does not count.
	a, srv := newTestServer(t, testEnv(t, "FINDER_SEED", "false", "FINDER_READ_FROM", "store", "FINDER_SYNC_INTERVAL", "1m"))
	seedGenerated(t, a, 80)
	// The fewest commands over five tries of each.
	cost := map[int]int{}
	for _, n := range []int{5, 50} {
		cost[n] = fewestCommands(t, srv.URL, func() {
			var page struct{ Roles struct{ Edges []any } }
			post(t, srv.URL, rolePageShape, map[string]any{"first": n}).Decode(t, &page)
			if len(page.Roles.Edges) != n {
				t.Fatalf("asked for %d roles, got %d", n, len(page.Roles.Edges))
			}
		})
	}
	t.Logf("database commands per request: %d for 5 roles, %d for 50", cost[5], cost[50])
	if cost[5] != cost[50] || cost[5] == 0 || cost[5] > 8 {
		t.Errorf("5 roles cost %d commands and 50 cost %d; want the same small number", cost[5], cost[50])
	}
}

// fewestCommands is the fewest database commands a request cost over five
// tries: loaders batch by a time window, which a busy machine may split,
// and the instance's background work (following the log, the projector's
// lease) sends a command now and then, which one try may catch.
func fewestCommands(t *testing.T, url string, request func()) int {
	waitQuiet(t, url)
	fewest := -1
	for range 5 {
		before := dbCommands(t, url)
		request()
		if c := dbCommands(t, url) - before; fewest < 0 || c < fewest {
			fewest = c
		}
	}
	return fewest
}

// waitQuiet waits, up to ten seconds, until the instance sends no database
// command for a quarter of a second (the replica polls the log every half
// second by default): after a start or a seeding, the replica and the
// projector catch up in the background.
func waitQuiet(t *testing.T, url string) {
	t.Helper()
	last, quietSince := dbCommands(t, url), time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if n := dbCommands(t, url); n != last {
			last, quietSince = n, time.Now()
		} else if time.Since(quietSince) > 250*time.Millisecond {
			return
		}
	}
}

// TestEveryCommandIsCounted checks that /metrics counts the commands.
func TestEveryCommandIsCounted(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_READ_FROM", "store", "FINDER_SYNC_INTERVAL", "1m"))
	got := fewestCommands(t, srv.URL, func() { post(t, srv.URL, `{ role(slug: "back-end-developer") { title } }`, nil) })
	if got != 1 {
		t.Errorf("one role by slug cost %d commands, want 1 find", got)
	}
}

// TestReadsFromMemoryCostNoCommand checks the default read path: the
// heaviest page costs no database command at all, however long the list.
// The replica's own polling is slowed down so that it does not count.
func TestReadsFromMemoryCostNoCommand(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_SYNC_INTERVAL", "1m"))
	got := fewestCommands(t, srv.URL, func() {
		for _, n := range []int{5, 50} {
			var page struct{ Roles struct{ Edges []any } }
			post(t, srv.URL, rolePageShape, map[string]any{"first": n}).Decode(t, &page)
			if len(page.Roles.Edges) != n {
				t.Fatalf("asked for %d roles, got %d", n, len(page.Roles.Edges))
			}
		}
	})
	if got != 0 {
		t.Errorf("two role pages read from memory cost %d database commands, want 0", got)
	}
}

// TestWritesCostAFewCommands counts the database commands of relateRoles
// and updateRole, sent with an API key: on the client's way, the key's
// check and the commit's one insert; then the projector's writes of the
// documents the change touched. Neither grows with the catalog.
func TestWritesCostAFewCommands(t *testing.T) {
	a, srv := newTestServer(t, testEnv(t, "FINDER_ADMIN_TOKEN", adminToken, "FINDER_SYNC_INTERVAL", "1m"))
	var key struct{ CreateApiKey struct{ Secret string } }
	postAs(t, srv.URL, adminToken, `mutation { createApiKey(input: {name: "Counted", scopes: [WRITE]}) { secret } }`, nil).Decode(t, &key)
	var role struct{ Role struct{ ID string } }
	post(t, srv.URL, `{ role(slug: "data-engineer") { id } }`, nil).Decode(t, &role)
	writes := []struct {
		name  string
		write func(i int) gqlResponse
	}{
		{"relateRoles", func(i int) gqlResponse {
			return postAs(t, srv.URL, key.CreateApiKey.Secret, `mutation($note: String) { relateRoles(from: "data-engineer", to: "data-analyst", kind: COLLABORATES_WITH, note: $note) { kind } }`,
				map[string]any{"note": fmt.Sprintf("Counted %d", i)})
		}},
		{"updateRole", func(i int) gqlResponse {
			var cur struct{ Role struct{ Version int } }
			post(t, srv.URL, `{ role(slug: "data-engineer") { version } }`, nil).Decode(t, &cur)
			in := newRole("data-engineer")
			in["tagline"] = fmt.Sprintf("Counted %d", i)
			return postAs(t, srv.URL, key.CreateApiKey.Secret, `mutation($id: ID!, $in: RoleInput!, $v: Int!) { updateRole(id: $id, input: $in, expectedVersion: $v) { version } }`,
				map[string]any{"id": role.Role.ID, "in": in, "v": cur.Role.Version})
		}},
	}
	for _, w := range writes {
		// The fewest over three writes: the projector renews its lease and
		// records its place now and then, which one write may catch.
		onPath, total := -1, -1
		for i := range 3 {
			waitQuiet(t, srv.URL)
			before := dbCommands(t, srv.URL)
			if r := w.write(i); len(r.Errors) > 0 {
				t.Fatalf("%s: %+v", w.name, r.Errors)
			}
			answered := dbCommands(t, srv.URL)
			head := a.replica.Current().Seq()
			waitFor(t, 5*time.Second, "the projection", func() bool { return a.projector.Done() >= head })
			done := dbCommands(t, srv.URL)
			if onPath < 0 || answered-before < onPath {
				onPath = answered - before
			}
			if total < 0 || done-before < total {
				total = done - before
			}
		}
		t.Logf("%s: %d commands before the answer, %d with the projection", w.name, onPath, total)
		if onPath > 2 || total > 5 {
			t.Errorf("%s cost %d commands before answering and %d in all; want the key's check and one insert, and at most 5 in all", w.name, onPath, total)
		}
	}
}
