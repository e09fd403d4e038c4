package main

// GraphiQL in real Chromium, as an analyst uses it: a shared link, the
// completion popup, the docs explorer and the history, under the page's own
// Content-Security-Policy. Skipped or required like TestBrowser, whose
// helpers it uses (browser_test.go); screenshots go to artifacts/browser/.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	// The link an analyst shares: a named operation with a variable, so
	// the link carries both the query and the variables.
	sharedQuery     = "query RoleTitle($slug: String!) {\n  role(slug: $slug) {\n    title\n  }\n}"
	sharedVariables = `{ "slug": "back-end-developer" }`
	// The query typed with the help of completion.
	typedQuery = `{ role(slug: "back-end-developer") { title } }`
)

// ctrlEnter runs the query, from anywhere on the page.
var ctrlEnter = chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl))

func TestGraphiQLInABrowser(t *testing.T) {
	chrome := chromiumPath(t)
	_, finder := newTestServer(t, testEnv(t))
	browser := startBrowser(t, chrome)
	shots := screenshotDir(t)
	// One tab for the whole visit: the history step reads what the steps
	// before it ran, from the origin's localStorage.
	tb := openTab(t, browser)

	graphiqlSharedLink(t, tb, finder.URL, shots)
	graphiqlCompletion(t, tb, shots)
	graphiqlDocs(t, tb, shots)
	graphiqlHistory(t, tb, finder.URL)
	// Nothing in all of that threw, logged an error, broke the
	// Content-Security-Policy, or reached beyond the server's own origin.
	tb.checkClean(finder.URL)
}

// graphiqlSharedLink opens a link someone shared, with the query and the
// variables in the address, and runs it with Ctrl+Enter: the response pane
// shows the role's title.
func graphiqlSharedLink(t *testing.T, tb *tab, finder, shots string) {
	link := finder + "/graphiql?" + url.Values{"query": {sharedQuery}, "variables": {sharedVariables}}.Encode()
	tb.do("open a shared link", chromedp.Navigate(link))
	// The schema comes by introspection; completion and the docs need it.
	waitForSchema(tb)
	tb.expect("the query in the editor", `document.querySelector('#query').value`, sharedQuery)
	// The textarea's text is transparent: a person reads the coloured copy beneath it.
	tb.expect("the query as shown", `document.querySelector('#query').closest('.editor').querySelector('.editor-highlight').textContent`, sharedQuery+"\n")
	tb.expect("the variables in their pane", `document.querySelector('#variables').value`, sharedVariables)
	checkIDEPage(tb)

	runForTitle(t, tb, "run it with Ctrl+Enter", chromedp.Focus(chromedp.CSS("#query")), ctrlEnter)
	tb.expect("the response's status", `document.querySelector('#meta-status').textContent`, "200 OK")
	// Running is not an edit: the editor keeps the query.
	tb.expect("the query in the editor after running", `document.querySelector('#query').value`, sharedQuery)
	tb.screenshot(shots, "graphiql-response", false)
}

// graphiqlCompletion types a query over the old one with the completion
// popup's help: `{ ro` offers role and roles, Enter takes role; inside its
// selection `ti` offers title, Tab takes it; Ctrl+Enter runs the query.
func graphiqlCompletion(t *testing.T, tb *tab, shots string) {
	suggestions := `[...document.querySelectorAll('.completions [role=option] .completion-label')].map((l) => l.textContent)`
	tb.do("select the whole query and start typing over it",
		chromedp.Focus(chromedp.CSS("#query")),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		press("{ ro"))
	tb.expect("the editor", `document.querySelector('#query').value`, "{ ro")
	tb.waitFor("the suggestions", `!document.querySelector('.completions').hidden`)
	labels := evalJS[[]string](tb, suggestions)
	if len(labels) < 2 || !(labels[0] == "role" && labels[1] == "roles" || labels[0] == "roles" && labels[1] == "role") {
		t.Fatalf("after typing `{ ro` the suggestions are %v, want role and roles first", labels)
	}
	// The popup is a listbox the textarea points into, for screen readers.
	tb.expect("the textarea's active suggestion", `document.getElementById(document.querySelector('#query').getAttribute('aria-activedescendant'))?.querySelector('.completion-label').textContent`, labels[0])
	tb.expect("whether the active suggestion is described", `document.querySelector('.completions-info').textContent.length > 0`, true)
	tb.expect("whether the popup is on screen", `(() => { const r = document.querySelector('.completions').getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })()`, true)
	tb.screenshot(shots, "graphiql-completion", false)

	active := `document.querySelector('.completions [aria-selected=true] .completion-label')?.textContent`
	tb.do("go down the list", press(kb.ArrowDown))
	tb.expect("the suggestion chosen after ArrowDown", active, labels[1])
	tb.do("and up again", press(kb.ArrowUp))
	tb.expect("the suggestion chosen after ArrowUp", active, labels[0])
	keys := kb.Enter
	if labels[0] != "role" {
		keys = kb.ArrowDown + kb.Enter
	}
	tb.do("take role", press(keys))
	// Enter went to the popup: no line break after the field.
	tb.expect("the editor after taking role", `document.querySelector('#query').value`, "{ role")
	tb.expect("whether the popup closed", `document.querySelector('.completions').hidden`, true)

	// Completion knows the type: inside role's selection it offers Role's fields.
	tb.do("type its argument and a field's start", press(`(slug: "back-end-developer") { ti`))
	tb.waitFor("the suggestions for Role", `!document.querySelector('.completions').hidden`)
	if labels := evalJS[[]string](tb, suggestions); len(labels) == 0 || labels[0] != "title" {
		t.Fatalf("inside role's selection `ti` suggests %v, want title first", labels)
	}
	tb.do("take title with Tab, and close the brackets", press(kb.Tab+" } }"))
	tb.expect("the typed query", `document.querySelector('#query').value`, typedQuery)
	runForTitle(t, tb, "run it with Ctrl+Enter", ctrlEnter)
}

// graphiqlDocs closes and reopens the docs with their button, then walks
// from the schema to the query field role and on to its type, Role, which
// the docs describe with its fields; Back returns to role.
func graphiqlDocs(t *testing.T, tb *tab, shots string) {
	docsLink := func(class, text string) chromedp.JSPath {
		return chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll('#docs .docs-body button.%s')].find((b) => b.textContent === %q)`, class, text))
	}
	title := `document.querySelector('#docs .docs-title')?.textContent`
	tb.do("close the docs", chromedp.Click(chromedp.CSS("#docs-toggle")))
	tb.expect("the docs' state", `document.querySelector('#docs').hidden + ' ' + document.querySelector('#docs-toggle').getAttribute('aria-expanded')`, "true false")
	tb.do("open them again", chromedp.Click(chromedp.CSS("#docs-toggle")))
	tb.expect("the docs' state", `document.querySelector('#docs').hidden + ' ' + document.querySelector('#docs-toggle').getAttribute('aria-expanded')`, "false true")
	tb.expect("the focused element", `document.activeElement.id`, "docs-search")

	tb.do("open the query type", chromedp.Click(docsLink("docs-type", "Query"), chromedp.NodeVisible))
	tb.waitFor("the Query page", title+` === 'Query'`)
	tb.do("open its field role", chromedp.Click(docsLink("docs-field", "role"), chromedp.NodeVisible))
	tb.waitFor("the role field's page", title+` === 'role'`)
	tb.expect("the field's arguments", `[...document.querySelectorAll('#docs .docs-arg')].map((a) => a.textContent).join(' ')`, "slug")
	tb.do("open the type it returns", chromedp.Click(docsLink("docs-type", "Role"), chromedp.NodeVisible))
	tb.waitFor("the Role page", title+` === 'Role'`)

	// Keyboard and screen reader users land on the page's heading.
	tb.expect("the focused element", `document.activeElement.textContent`, "Role")
	tb.expect("the trail", `[...document.querySelectorAll('#docs .docs-crumbs li')].map((li) => li.textContent).join(' › ')`, "Schema › Query › role › Role")
	page := evalJS[string](tb, `document.querySelector('#docs .docs-body').innerText`)
	for _, want := range []string{
		"A job in tech, with everything a person needs", // the type's description
		"occupations: [OccupationMatch!]!", "The official occupations the role maps to",
		"salary: Salary", "What the role typically pays",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the docs' Role page does not say %q:\n%s", want, page)
		}
	}
	checkIDEPage(tb)
	tb.screenshot(shots, "graphiql-docs", false)
	tb.do("go back", chromedp.Click(chromedp.CSS("#docs .docs-back"), chromedp.NodeVisible))
	tb.waitFor("the role field's page again", title+` === 'role'`)
}

// graphiqlHistory opens GraphiQL again, without a link: the editor has the
// last edit back, and the History menu lists both queries run, the last
// first; choosing the shared one puts it back, variables too, to run again.
func graphiqlHistory(t *testing.T, tb *tab, finder string) {
	tb.do("open GraphiQL without a link", chromedp.Navigate(finder+"/graphiql"))
	waitForSchema(tb)
	tb.expect("the editor after reopening", `document.querySelector('#query').value`, typedQuery)
	tb.do("open the history", chromedp.Click(chromedp.CSS("#history-menu summary")))
	tb.waitFor("the history menu", `document.querySelector('#history-menu').open`)
	// A named operation is listed by its name, another by its text.
	tb.expect("the history", `[...document.querySelectorAll('#history-list .menu-item-label')].map((l) => l.textContent).join(' | ')`,
		typedQuery+" | RoleTitle")
	tb.expect("the shared query's note", `document.querySelectorAll('#history-list .menu-item-detail')[1].textContent.endsWith('with variables')`, true)
	tb.do("choose the shared query", chromedp.Click(chromedp.CSS("#history-list li:nth-child(2) .menu-item"), chromedp.NodeVisible))
	tb.expect("the query put back", `document.querySelector('#query').value`, sharedQuery)
	tb.expect("the variables put back", `document.querySelector('#variables').value`, sharedVariables)
	tb.expect("whether the menu closed", `document.querySelector('#history-menu').open`, false)
	checkIDEPage(tb)

	runForTitle(t, tb, "run it with the Run button", chromedp.Click(chromedp.CSS("#run")))
}

// --- Helpers ---------------------------------------------------------------------

// waitForSchema waits for the docs' first page, drawn once introspection answers.
func waitForSchema(tb *tab) {
	tb.t.Helper()
	tb.waitFor("the schema in the docs", `document.querySelector('#docs .docs-body h3')?.textContent === 'Schema'`)
}

// runForTitle runs the query with the steps and waits for a new response
// (another request id), which must be the Back-End Developer role's title
// and no error, read from the response pane as JSON.
func runForTitle(t *testing.T, tb *tab, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	before := evalJS[string](tb, `document.querySelector('#meta-request-id').textContent`)
	tb.do(what, steps...)
	tb.waitFor("the response", fmt.Sprintf(`document.querySelector('#run-label').textContent === 'Run' && !document.querySelector('#response').hidden
		&& document.querySelector('#meta-request-id').textContent !== %q`, before))
	var response struct {
		Data   struct{ Role struct{ Title string } }
		Errors []any
	}
	body := evalJS[string](tb, `document.querySelector('#response').textContent`)
	if err := json.Unmarshal([]byte(body), &response); err != nil {
		t.Fatalf("the response pane does not hold JSON: %v\n%s", err, body)
	}
	if response.Data.Role.Title != "Back-End Developer" || len(response.Errors) > 0 {
		t.Errorf("the response pane shows\n%s\nwant the title Back-End Developer", body)
	}
}

// press types keys as a keyboard does: a key's keydown carries its text, so
// when the page handles the keydown (preventDefault) nothing is typed.
// chromedp.KeyEvent sends the text as a separate char event, which Chromium
// types even then: Enter that takes a suggestion would also break the line.
func press(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			events := kb.Encode(r)
			for i := 0; i < len(events); i++ {
				e := *events[i]
				if e.Type == kb.KeyDown && i+1 < len(events) && events[i+1].Type == kb.KeyChar {
					e.Text, e.UnmodifiedText = events[i+1].Text, events[i+1].UnmodifiedText
					i++
				}
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, e); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// checkIDEPage is checkPage for GraphiQL: one h1, a name for every control a
// person can reach, and a text alternative for every image. checkPage counts
// hidden controls too, and the docs' back button is empty (and hidden) until
// there is a page to go back to: here it must be hidden or named.
func checkIDEPage(tb *tab) {
	tb.t.Helper()
	tb.expect("the number of h1 elements", `document.querySelectorAll('h1').length`, 1)
	tb.expect("whether the docs' back button is hidden or named", `(() => { const b = document.querySelector('#docs .docs-back'); return b.hidden || b.textContent.trim() !== ''; })()`, true)
	unlabelled := evalJS[[]string](tb, `[...document.querySelectorAll('input, select, textarea, button')]
		.filter((el) => !el.closest('[hidden]'))
		.filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
		.map((el) => el.outerHTML.slice(0, 80))`)
	if len(unlabelled) > 0 {
		tb.t.Errorf("GraphiQL has controls without a label: %v", unlabelled)
	}
	tb.expect("the number of images without a text alternative", `document.querySelectorAll('img:not([alt]), svg[role=img]:not([aria-label]):not([aria-labelledby])').length`, 0)
}
