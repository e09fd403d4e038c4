package main

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Editors racing on one role, in one server and across two server
// processes on one store: without expectedVersion every edit applies to
// the role as it stands when it commits, so none fails and none is lost;
// with one expectedVersion, exactly one wins.

// instances returns the servers a race runs on: one in-process server, or
// two server processes on one store process.
func instances(t *testing.T, processes int) []string {
	if processes == 1 {
		return []string{editServer(t)}
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	_, uri := startStore(t, t.TempDir())
	_, a := startServer(t, uri)
	_, b := startServer(t, uri)
	for _, u := range []string{a, b} {
		readyIs(t, u, 200, 60*time.Second)
	}
	return []string{a, b}
}

// all runs n requests at once, the i-th on instance i mod len(urls), and
// returns their answers.
func all(urls []string, n int, request func(i int, url string) gqlResponse) []gqlResponse {
	out := make([]gqlResponse, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			out[i] = request(i, urls[i%len(urls)])
		})
	}
	close(start)
	wg.Wait()
	return out
}

// roleState is what the race checks of a role.
type roleState struct {
	Role struct {
		Version      int
		Tools        []struct{ Slug string }
		RelatedRoles []struct{ Role struct{ Slug string } }
	}
}

func TestConcurrentEditsWithoutAVersionAllStay(t *testing.T) {
	for _, processes := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d processes", processes), func(t *testing.T) {
			urls := instances(t, processes)
			const state = `{ role(slug: "technical-writer") { version tools { slug } relatedRoles { role { slug } } } }`
			var before roleState
			post(t, urls[0], state, nil).Decode(t, &before)
			var id struct{ Role struct{ ID string } }
			post(t, urls[0], `{ role(slug: "technical-writer") { id } }`, nil).Decode(t, &id)

			others := []string{"back-end-developer", "front-end-developer", "data-analyst", "data-engineer", "devops-engineer",
				"qa-engineer", "cto", "ux-designer", "product-manager", "ios-developer", "game-developer", "cloud-architect"}
			tools := []string{"python", "go", "rust", "kotlin", "swift", "docker", "kubernetes", "terraform"}
			for _, r := range all(urls, len(others), func(i int, url string) gqlResponse {
				return postAs(t, url, adminToken, `mutation($to: String!) { relateRoles(from: "technical-writer", to: $to, kind: COLLABORATES_WITH, note: "Raced.") { kind } }`,
					map[string]any{"to": others[i]})
			}) {
				if len(r.Errors) > 0 {
					t.Errorf("relateRoles answered %+v", r.Errors)
				}
			}
			for _, r := range all(urls, len(tools), func(i int, url string) gqlResponse {
				return postAs(t, url, adminToken, `mutation($id: ID!, $tool: String!) { attachTools(roleId: $id, toolSlugs: [$tool]) { version } }`,
					map[string]any{"id": id.Role.ID, "tool": tools[i]})
			}) {
				if len(r.Errors) > 0 {
					t.Errorf("attachTools answered %+v", r.Errors)
				}
			}
			want := before.Role.Version + len(others) + len(tools)
			for _, url := range urls {
				var after roleState
				waitFor(t, 5*time.Second, "every instance to see every edit", func() bool {
					post(t, url, state, nil).Decode(t, &after)
					return after.Role.Version == want
				})
				var related, attached []string
				for _, r := range after.Role.RelatedRoles {
					related = append(related, r.Role.Slug)
				}
				for _, tool := range after.Role.Tools {
					attached = append(attached, tool.Slug)
				}
				for _, o := range others {
					if !slices.Contains(related, o) {
						t.Errorf("%s: the link to %s is lost (%v)", url, o, related)
					}
				}
				for _, tool := range tools {
					if !slices.Contains(attached, tool) {
						t.Errorf("%s: the tool %s is lost (%v)", url, tool, attached)
					}
				}
			}
		})
	}
}

func TestOneOfTheEditorsOfAVersionWins(t *testing.T) {
	for _, processes := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d processes", processes), func(t *testing.T) {
			urls := instances(t, processes)
			var cur struct {
				Role struct {
					ID      string
					Version int
				}
			}
			post(t, urls[0], `{ role(slug: "data-analyst") { id version } }`, nil).Decode(t, &cur)
			answers := all(urls, 10, func(i int, url string) gqlResponse {
				in := newRole("data-analyst")
				in["title"] = fmt.Sprintf("Data Analyst, as editor %d has it", i)
				return postAs(t, url, adminToken, `mutation($id: ID!, $in: RoleInput!, $v: Int!) { updateRole(id: $id, input: $in, expectedVersion: $v) { version title } }`,
					map[string]any{"id": cur.Role.ID, "in": in, "v": cur.Role.Version})
			})
			var winners []string
			for _, r := range answers {
				if len(r.Errors) == 0 {
					var got struct{ UpdateRole struct{ Title string } }
					r.Decode(t, &got)
					winners = append(winners, got.UpdateRole.Title)
					continue
				}
				if r.Errors[0].Code() != "CONFLICT" {
					t.Errorf("a losing editor got %+v, want CONFLICT", r.Errors)
				}
			}
			if len(winners) != 1 {
				t.Fatalf("%d editors of version %d won: %v", len(winners), cur.Role.Version, winners)
			}
			for _, url := range urls {
				var after struct {
					Role struct {
						Version int
						Title   string
					}
				}
				waitFor(t, 5*time.Second, "every instance to see the winner", func() bool {
					post(t, url, `{ role(slug: "data-analyst") { version title } }`, nil).Decode(t, &after)
					return after.Role.Version == cur.Role.Version+1
				})
				if after.Role.Title != winners[0] {
					t.Errorf("%s serves %q, but %q won", url, after.Role.Title, winners[0])
				}
			}
		})
	}
}
