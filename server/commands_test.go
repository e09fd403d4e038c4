package main

import "testing"

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
	a, srv := newTestServer(t, testEnv(t, "FINDER_SEED", "false", "FINDER_READ_FROM", "store"))
	seedGenerated(t, a, 80)
	// The fewest commands over three tries of each: loaders batch by a
	// time window, and a machine busy with other tests may split a batch.
	cost := map[int]int{}
	for range 3 {
		for _, n := range []int{5, 50} {
			before := dbCommands(t, srv.URL)
			var page struct{ Roles struct{ Edges []any } }
			post(t, srv.URL, rolePageShape, map[string]any{"first": n}).decode(t, &page)
			if len(page.Roles.Edges) != n {
				t.Fatalf("asked for %d roles, got %d", n, len(page.Roles.Edges))
			}
			if c := dbCommands(t, srv.URL) - before; cost[n] == 0 || c < cost[n] {
				cost[n] = c
			}
		}
	}
	t.Logf("database commands per request: %d for 5 roles, %d for 50", cost[5], cost[50])
	if cost[5] != cost[50] || cost[5] == 0 || cost[5] > 8 {
		t.Errorf("5 roles cost %d commands and 50 cost %d; want the same small number", cost[5], cost[50])
	}
}

// TestEveryCommandIsCounted checks that /metrics counts the commands.
func TestEveryCommandIsCounted(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_READ_FROM", "store"))
	before := dbCommands(t, srv.URL)
	post(t, srv.URL, `{ role(slug: "back-end-developer") { title } }`, nil)
	if got := dbCommands(t, srv.URL) - before; got != 1 {
		t.Errorf("one role by slug cost %d commands, want 1 find", got)
	}
}

// TestReadsFromMemoryCostNoCommand checks the default read path: the
// heaviest page costs no database command at all, however long the list.
// The replica's own polling is slowed down so that it does not count.
func TestReadsFromMemoryCostNoCommand(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_SYNC_INTERVAL", "1m"))
	before := dbCommands(t, srv.URL)
	for _, n := range []int{5, 50} {
		var page struct{ Roles struct{ Edges []any } }
		post(t, srv.URL, rolePageShape, map[string]any{"first": n}).decode(t, &page)
		if len(page.Roles.Edges) != n {
			t.Fatalf("asked for %d roles, got %d", n, len(page.Roles.Edges))
		}
	}
	if got := dbCommands(t, srv.URL) - before; got != 0 {
		t.Errorf("two role pages read from memory cost %d database commands, want 0", got)
	}
}
