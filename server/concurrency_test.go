package main

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentUpdatesLoseNothing has 20 editors update one role at once,
// three times each, each time from the version it just read. Those that
// lose a race get CONFLICT; the role ends at 1 + the number of updates that
// succeeded, its history holds exactly those, and no two were acknowledged
// as the same version: no acknowledged update was lost.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	url := editServer(t)
	r := mustCreateRole(t, url, "contested-role")
	const update = `mutation($id: ID!, $in: RoleInput!, $v: Int!) { updateRole(id: $id, input: $in, expectedVersion: $v) { version title } }`
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := map[string]int{}, 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				var cur struct{ Role struct{ Version int } }
				post(t, url, `{ role(slug: "contested-role") { version } }`, nil).Decode(t, &cur)
				in := newRole("contested-role")
				in["title"] = fmt.Sprintf("Edit %d by editor %c", round, 'A'+i)
				resp := postAs(t, url, adminToken, update, map[string]any{"id": r.ID, "in": in, "v": cur.Role.Version})
				if len(resp.Errors) == 0 {
					var got struct{ UpdateRole struct{ Version int } }
					resp.Decode(t, &got)
					mu.Lock()
					won[in["title"].(string)] = got.UpdateRole.Version
					mu.Unlock()
					continue
				}
				if resp.Errors[0].Code() != "CONFLICT" {
					t.Errorf("update answered %+v", resp.Errors)
					return
				}
				mu.Lock()
				lost++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var final struct {
		Role struct {
			Version int
			Title   string
		}
	}
	post(t, url, `{ role(slug: "contested-role") { version title } }`, nil).Decode(t, &final)
	var hist struct{ History struct{ TotalCount int } }
	postAs(t, url, adminToken, `query($id: ID!) { history(id: $id) { totalCount } }`, map[string]any{"id": r.ID}).Decode(t, &hist)
	t.Logf("%d updates succeeded, %d were refused as stale", len(won), lost)
	if final.Role.Version != 1+len(won) || hist.History.TotalCount != 1+len(won) {
		t.Errorf("version %d and %d history entries after %d successful updates; want %d",
			final.Role.Version, hist.History.TotalCount, len(won), 1+len(won))
	}
	if won[final.Role.Title] != final.Role.Version {
		t.Errorf("the role's title %q is not the last successful update's", final.Role.Title)
	}
	seen := map[int]bool{}
	for _, v := range won {
		if seen[v] {
			t.Errorf("two updates both acknowledged version %d", v)
		}
		seen[v] = true
	}
}

// TestAcknowledgedWritesSurviveARestart writes through a running server,
// stops it, starts it again on the same data, and reads everything back.
func TestAcknowledgedWritesSurviveARestart(t *testing.T) {
	env := map[string]string{"FINDER_DATA_DIR": t.TempDir(), "FINDER_ADMIN_TOKEN": adminToken}
	url, _, stop := startRun(t, env)
	r := mustCreateRole(t, url, "durable-role")
	postAs(t, url, adminToken, `mutation { relateRoles(from: "durable-role", to: "data-analyst", kind: OVERLAPS_WITH, note: "Both read data") { kind } }`, nil).Decode(t, &struct{}{})
	var key struct{ CreateApiKey struct{ Secret string } }
	postAs(t, url, adminToken, `mutation { createApiKey(input: {name: "Durable", scopes: [WRITE]}) { secret } }`, nil).Decode(t, &key)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	url, _, stop = startRun(t, env)
	defer func() { _ = stop() }()
	var back struct {
		Role struct {
			ID           string
			Version      int
			RelatedRoles []struct{ Role struct{ Slug string } }
		}
	}
	postAs(t, url, key.CreateApiKey.Secret, `{ role(slug: "durable-role") { id version relatedRoles { role { slug } } } }`, nil).Decode(t, &back)
	if back.Role.ID != r.ID || back.Role.Version != 2 || len(back.Role.RelatedRoles) != 1 || back.Role.RelatedRoles[0].Role.Slug != "data-analyst" {
		t.Errorf("after a restart: %+v", back.Role)
	}
}
