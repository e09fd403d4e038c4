package main

// Browser tests: the web client and the partner role cards in real
// Chromium (Debian's chromium package, or FINDER_CHROMIUM), driven with
// chromedp against a server started in-process. Without Chromium they are
// skipped, unless FINDER_BROWSER_TESTS=required (as in CI), where that is a
// failure. Screenshots go to artifacts/browser/ for a person to look at.

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/finder-platform/finder/web"
)

// browserWait bounds every wait for the page; a tab lives at most tabLife.
const (
	browserWait = 15 * time.Second
	tabLife     = 60 * time.Second
)

func TestBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	_, finder := newTestServer(t, testEnv(t, "FINDER_ADMIN_TOKEN", adminToken))
	partner := httptest.NewServer(partnerSite(finder.URL))
	t.Cleanup(partner.Close)
	browser := startBrowser(t, chrome)
	shots := screenshotDir(t)

	// The catalog as shipped, a tab per part, side by side.
	t.Run("Shipped", func(t *testing.T) {
		t.Run("Client", func(t *testing.T) {
			t.Parallel()
			testClient(t, openTab(t, browser), finder.URL, shots)
		})
		t.Run("Path", func(t *testing.T) {
			t.Parallel()
			testPath(t, openTab(t, browser), finder.URL, shots)
		})
		t.Run("Fit", func(t *testing.T) {
			t.Parallel()
			testFit(t, openTab(t, browser), finder.URL, shots)
		})
		t.Run("PhoneWidth", func(t *testing.T) {
			t.Parallel()
			testPhoneWidth(t, openTab(t, browser), finder.URL, shots)
		})
		t.Run("PartnerCards", func(t *testing.T) {
			t.Parallel()
			testPartnerCards(t, openTab(t, browser), finder.URL, partner.URL, shots)
		})
		t.Run("CardPage", func(t *testing.T) {
			t.Parallel()
			testCardPage(t, openTab(t, browser), finder.URL, shots)
		})
	})
	// Then a role no link joins to the others, which the parts above would
	// see on their pages.
	t.Run("NoPath", func(t *testing.T) {
		testNoPath(t, openTab(t, browser), finder.URL, shots)
	})
}

// testClient walks the web client as a person would: the list of roles,
// search, a role page, a link to a related role, a reload, a tool page, a
// comparison and the newsletter form.
func testClient(t *testing.T, tb *tab, finder, shots string) {
	tb.do("open the home page", chromedp.Navigate(finder+"/"))
	tb.waitFor("the role cards", `document.querySelectorAll('.role-card').length >= 50`)
	tb.checkPage()
	tb.expect("the header's links", `[...document.querySelectorAll('.site-nav a')].map((a) => a.getAttribute('href') + ' ' + a.textContent).join(' | ')`,
		"/ Roles | /compare Compare | /path Career path | /fit What fits my tools")
	tb.expect("the header's link to this page", `document.querySelector('.site-nav a[aria-current=page]')?.textContent`, "Roles")
	tb.screenshot(shots, "home", false)

	// Typing "back" lists Back-End Developer; the keyboard opens it.
	tb.do("type in the search box", chromedp.SendKeys(chromedp.CSS("#search-input"), "back"))
	tb.waitFor("Back-End Developer among the results",
		`[...document.querySelectorAll('#search-results [role=option]')].some((o) => o.textContent.includes('Back-End Developer'))`)
	groups := evalJS[[]string](tb, `[...document.querySelectorAll('#search-results .search-group-label')].map((g) => g.textContent)`)
	if len(groups) < 2 {
		t.Errorf("search results are in %d groups (%v), want roles and more", len(groups), groups)
	}
	tb.screenshot(shots, "search", false)
	tb.do("choose the first result with the keyboard", chromedp.KeyEvent(kb.ArrowDown))
	if active := evalJS[string](tb, `document.getElementById(document.activeElement.getAttribute('aria-activedescendant'))?.textContent || ''`); !strings.Contains(active, "Back-End Developer") {
		t.Fatalf("after ArrowDown the active option is %q, want Back-End Developer", active)
	}
	tb.do("open it with Enter", chromedp.KeyEvent(kb.Enter))
	tb.waitFor("the Back-End Developer page", `document.querySelector('main h1')?.textContent === 'Back-End Developer'`)
	tb.waitFor("the neighbourhood graph", `document.querySelectorAll('.graph-svg a').length >= 3`)
	tb.expect("the address", `location.pathname`, "/roles/back-end-developer")
	tb.expect("the focused element after navigating", `document.activeElement.tagName`, "H1")
	tb.expect("the title", `document.title`, "Back-End Developer · Finder")
	page := evalJS[string](tb, `document.querySelector('main').innerText`)
	for _, want := range []string{
		"Skills and expertise", "Main tasks and responsibilities", "Programming languages", "Ruby on Rails", "Nginx",
		"Advantages", "Disadvantages", "Is this career a good fit for me?", "$133,080",
		"SQLBolt", "Related roles", "Front-End Developer", "monthly newsletter",
		"Sources and occupation codes", "Last checked by an editor on",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the role page does not say %q", want)
		}
	}
	// The salary names its basis and that it is a proxy; the codes and the
	// sources link to their publishers' pages.
	tb.expect("the salary's basis", `document.querySelector('.salary-basis strong')?.textContent`, "Software Developers")
	tb.expect("the proxy badge", `document.querySelector('.salary-basis .badge.proxy')?.textContent`, "proxy")
	tb.expect("the occupation codes", `[...document.querySelectorAll('.occupations tbody tr')].map((tr) => tr.cells[0].textContent + ' ' + tr.cells[1].textContent).join(', ')`,
		"O*NET-SOC 15-1252.00, ISCO-08 2512")
	tb.expect("the O*NET code's link", `document.querySelector('.occupations tbody a')?.href`, "https://www.onetonline.org/link/summary/15-1252.00")
	tb.expect("the sources' links", `[...document.querySelectorAll('.sources a')].map((a) => new URL(a.href).host).join(' ')`,
		"www.onetonline.org www.bls.gov")
	if n := evalJS[int](tb, `document.querySelectorAll('.graph-svg a[href="/roles/front-end-developer"]').length`); n != 1 {
		t.Errorf("the graph has %d links to Front-End Developer, want 1", n)
	}
	tb.checkPage()
	tb.screenshot(shots, "role-desktop", true)

	// The newsletter shows the server's own message, then signs up.
	tb.do("submit the newsletter form without consent",
		chromedp.SendKeys(chromedp.CSS(".newsletter input[type=email]"), "reader@example.com"),
		chromedp.Click(chromedp.CSS(".newsletter button[type=submit]")))
	tb.waitFor("the server's message about consent", `/consent/i.test(document.querySelector('.newsletter').innerText)`)
	tb.do("consent and submit again",
		chromedp.Click(chromedp.CSS(".newsletter input[type=checkbox]")),
		chromedp.Click(chromedp.CSS(".newsletter button[type=submit]")))
	tb.waitFor("the thank-you", `document.querySelector('.section-newsletter .success')?.textContent.includes('reader@example.com')`)

	// A related role's link changes the page without a page load.
	tb.do("mark this page load", chromedp.Evaluate[chromedp.Void](`window.samePageLoad = true`))
	tb.do("follow the link to Front-End Developer", chromedp.Click(chromedp.CSS(`.related a[href="/roles/front-end-developer"]`)))
	tb.waitFor("the Front-End Developer page", `document.querySelector('main h1')?.textContent === 'Front-End Developer'`)
	tb.expect("the address", `location.pathname`, "/roles/front-end-developer")
	tb.expect("whether the page was loaded again", `window.samePageLoad === true`, true)
	// No figure could be checked for front-end developers: the page says so.
	tb.expect("the salary section without a figure", `document.querySelector('.section-salary .empty-title')?.textContent`, "No reliable figure yet")
	tb.do("reload", chromedp.Reload())
	tb.waitFor("the Front-End Developer page after a reload", `document.querySelector('main h1')?.textContent === 'Front-End Developer'`)
	tb.expect("whether the page was loaded again", `window.samePageLoad === undefined`, true)

	tb.do("open a tool page", chromedp.Navigate(finder+"/tools/python"))
	tb.waitFor("the roles that use Python", `document.querySelector('main h1')?.textContent === 'Python' && document.querySelector('main').innerText.includes('Back-End Developer')`)
	tb.checkPage()
	tb.screenshot(shots, "tool", false)

	// The comparison is the API's compareRoles, column by column.
	var cmp struct {
		CompareRoles struct {
			SharedTools []struct{ Name string }
			Only        []struct{ Tools []struct{ Name string } }
		}
	}
	post(t, finder, `{ compareRoles(slugs: ["back-end-developer", "full-stack-developer"]) { sharedTools { name } only { tools { name } } } }`, nil).Decode(t, &cmp)
	names := func(tools []struct{ Name string }) string {
		var out []string
		for _, tool := range tools {
			out = append(out, tool.Name)
		}
		return strings.Join(out, ", ")
	}
	tb.do("compare two roles", chromedp.Navigate(finder+"/compare?a=back-end-developer&b=full-stack-developer"))
	tb.waitFor("the comparison", `document.querySelector('.comparison')`)
	column := func(class string) string {
		return fmt.Sprintf(`[...document.querySelector('#compare-tools').closest('section').querySelectorAll('.%s li')].map((li) => li.textContent).join(', ')`, class)
	}
	tb.expect("the tools both roles use", column("both"), names(cmp.CompareRoles.SharedTools))
	tb.expect("the tools only Back-End Developer uses", column("only-a"), names(cmp.CompareRoles.Only[0].Tools))
	tb.expect("the tools only Full-Stack Developer uses", column("only-b"), names(cmp.CompareRoles.Only[1].Tools))
	if both := evalJS[string](tb, column("both")); !strings.Contains(both, "Git") {
		t.Errorf("the tools both roles use do not include Git: %q", both)
	}
	tb.expect("the title", `document.title`, "Back-End Developer vs Full-Stack Developer · Finder")
	tb.checkPage()
	tb.screenshot(shots, "compare", true)
	tb.do("compare with a role that does not exist", chromedp.Navigate(finder+"/compare?a=back-end-developer&b=no-such-role"))
	tb.waitFor("the message", `document.querySelector('main .notice')?.textContent.includes('“no-such-role”')`)

	tb.do("open an unknown role", chromedp.Navigate(finder+"/roles/no-such-role"))
	tb.waitFor("the not-found page", `document.querySelector('main h1')?.textContent === 'We could not find this role'`)
	tb.checkClean(finder)
}

// testPhoneWidth loads every kind of page at 375 px: nothing may scroll sideways.
func testPhoneWidth(t *testing.T, tb *tab, finder, shots string) {
	tb.do("emulate a phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait))
	pages := []struct{ path, ready, shot string }{
		{"/", `document.querySelectorAll('.role-card').length >= 50`, "home-375"},
		{"/roles/back-end-developer", `document.querySelectorAll('.graph-svg a').length >= 3`, "role-375"},
		{"/tools/python", `document.querySelectorAll('.role-card').length > 0`, ""},
		{"/compare?a=back-end-developer&b=front-end-developer", `document.querySelector('.comparison')`, "compare-375"},
		{"/path?from=back-end-developer&to=data-scientist", `document.querySelectorAll('.path-steps > li').length >= 3`, "path-375"},
		{"/fit?tools=python,sql&skills=statistics", `document.querySelectorAll('.match-list > li').length > 0`, "fit-375"},
	}
	for _, p := range pages {
		tb.do("open "+p.path, chromedp.Navigate(finder+p.path))
		tb.waitFor(p.path+" to be shown", p.ready)
		if w := evalJS[int](tb, `document.documentElement.scrollWidth`); w > 375 {
			wide := evalJS[[]string](tb, `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5).slice(0, 5).map((e) => e.tagName + '.' + e.className)`)
			t.Errorf("%s is %d px wide at 375 px; too wide: %v", p.path, w, wide)
		}
		tb.checkPage()
		if p.shot != "" {
			tb.screenshot(shots, p.shot, true)
		}
	}
	tb.checkClean(finder)
}

// testPath goes from a role page to its career paths: a path two or more
// steps long, shown as the API answers it, that a reload keeps; and a role
// that does not exist.
func testPath(t *testing.T, tb *tab, finder, shots string) {
	var api struct {
		CareerPath struct {
			TotalNewTools int
			Steps         []struct {
				Role      struct{ Slug, Title string }
				GainTools []struct{ Slug string }
			}
		}
	}
	post(t, finder, `{ careerPath(from: "back-end-developer", to: "data-scientist") { totalNewTools steps { role { slug title } gainTools { slug } } } }`, nil).Decode(t, &api)
	path := api.CareerPath
	if len(path.Steps) < 3 {
		t.Fatalf("the API's path from Back-End Developer to Data Scientist has %d roles; the test needs one two or more steps long", len(path.Steps))
	}
	var roles, tools []string
	for _, step := range path.Steps {
		roles = append(roles, "/roles/"+step.Role.Slug+" "+step.Role.Title)
		var gain []string
		for _, tool := range step.GainTools {
			gain = append(gain, "/tools/"+tool.Slug)
		}
		tools = append(tools, strings.Join(gain, " "))
	}

	tb.do("open a role page", chromedp.Navigate(finder+"/roles/back-end-developer"))
	tb.waitFor("its link to a career path", `document.querySelector('main a[href="/path?from=back-end-developer"]')`)
	tb.do("follow it", chromedp.Click(chromedp.CSS(`main a[href="/path?from=back-end-developer"]`)))
	tb.waitFor("the path page", `document.querySelector('#path-from')?.value === 'back-end-developer'`)
	tb.expect("the focused element after navigating", `document.activeElement.tagName`, "H1")
	tb.expect("the header's link to this page", `document.querySelector('.site-nav a[aria-current=page]')?.textContent`, "Career path")
	tb.do("choose where to go", chromedp.SetValue(chromedp.CSS("#path-to"), "data-scientist"), chromedp.Click(chromedp.CSS(".pick-form button[type=submit]")))

	check := func(when string) {
		t.Helper()
		tb.waitFor("the steps "+when, fmt.Sprintf(`document.querySelectorAll('.path-steps > li').length === %d`, len(path.Steps)))
		tb.expect("the steps' roles "+when, `[...document.querySelectorAll('.path-steps > li .path-role a')].map((a) => a.getAttribute('href') + ' ' + a.textContent).join(' | ')`,
			strings.Join(roles, " | "))
		tb.expect("the tools each step asks for "+when, `[...document.querySelectorAll('.path-steps > li')].map((li) => [...li.querySelectorAll('.tags a')].map((a) => a.getAttribute('href')).join(' ')).join(' | ')`,
			strings.Join(tools, " | "))
		tb.expect("the new tools in all "+when, `document.querySelector('.path-total').textContent`, path.TotalNewTools)
		tb.expect("how the second step follows the first "+when, `document.querySelectorAll('.path-via')[1].textContent.includes('Back-End Developer')`, true)
		tb.expect("whether each step after the first has learning resources "+when,
			`[...document.querySelectorAll('.path-steps > li')].slice(1).every((li) => li.querySelector('.path-resources a.external[href^="http"]'))`, true)
		tb.expect("the address "+when, `location.pathname + location.search`, "/path?from=back-end-developer&to=data-scientist")
		tb.expect("the title "+when, `document.title`, "From Back-End Developer to Data Scientist · Finder")
	}
	check("after choosing")
	tb.expect("the focused element after choosing", `document.activeElement.matches('.pick-form button[type=submit]')`, true)
	tb.expect("the announcement", `document.querySelector('main [role=status]').textContent`,
		fmt.Sprintf("%d steps from Back-End Developer to Data Scientist, with %d new tools to learn.", len(path.Steps)-1, path.TotalNewTools))
	tb.checkPage()
	tb.screenshot(shots, "path", true)

	tb.do("reload", chromedp.Reload())
	check("after a reload")
	tb.expect("the chosen roles after a reload", `document.querySelector('#path-from').value + ' ' + document.querySelector('#path-to').value`, "back-end-developer data-scientist")

	tb.do("ask for a role that does not exist", chromedp.Navigate(finder+"/path?from=back-end-developer&to=no-such-role"))
	tb.waitFor("the message", `document.querySelector('.path-answer .notice')?.textContent === 'We could not find the role “no-such-role”. Pick another above.'`)
	tb.checkPage()
	tb.checkClean(finder)
}

// testNoPath shows the page for two roles that no chain of links joins.
func testNoPath(t *testing.T, tb *tab, finder, shots string) {
	in := newRole("island-role")
	in["title"] = "Island Keeper"
	var created any
	postAs(t, finder, adminToken, createRole, map[string]any{"in": in}).Decode(t, &created)
	var api struct{ CareerPath *struct{ TotalNewTools int } }
	post(t, finder, `{ careerPath(from: "back-end-developer", to: "island-role") { totalNewTools } }`, nil).Decode(t, &api)
	if api.CareerPath != nil {
		t.Fatalf("the API finds a path to a role without links: %+v", *api.CareerPath)
	}
	tb.do("ask for a path to it", chromedp.Navigate(finder+"/path?from=back-end-developer&to=island-role"))
	tb.waitFor("the page saying there is none", `document.querySelector('.path-answer .empty-state')?.textContent.includes('No chain of related roles leads from Back-End Developer to Island Keeper')`)
	tb.checkPage()
	tb.screenshot(shots, "path-none", false)
	tb.checkClean(finder)
}

// testFit picks tools with the keyboard and shows the roles they fit, as
// the API ranks them, with their scores; a reload keeps them, and an
// unknown tool is reported beside the answer.
func testFit(t *testing.T, tb *tab, finder, shots string) {
	var api struct {
		MatchRoles []struct {
			Score float64
			Role  struct{ Slug, Title string }
		}
	}
	post(t, finder, `{ matchRoles(toolSlugs: ["python", "sql"], first: 20) { score role { slug title } } }`, nil).Decode(t, &api)
	if len(api.MatchRoles) == 0 {
		t.Fatal("the API fits no role to Python and SQL")
	}
	var want []string
	analyst := false
	for _, m := range api.MatchRoles {
		want = append(want, fmt.Sprintf("/roles/%s %s %d%%", m.Role.Slug, m.Role.Title, int(math.Round(m.Score*100))))
		analyst = analyst || m.Role.Slug == "data-analyst"
	}
	if !analyst {
		t.Errorf("the API does not fit Data Analyst to Python and SQL: %v", want)
	}

	tb.do("open the home page", chromedp.Navigate(finder+"/"))
	tb.waitFor("the role cards", `document.querySelectorAll('.role-card').length > 0`)
	tb.do("follow the header's link", chromedp.Click(chromedp.CSS(`.site-nav a[href="/fit"]`)))
	tb.waitFor("the tools", `document.querySelectorAll('.tool-picker input[type=checkbox]').length > 100`)
	tb.expect("the focused element after navigating", `document.activeElement.tagName`, "H1")
	tb.expect("the header's link to this page", `document.querySelector('.site-nav a[aria-current=page]')?.textContent`, "What fits my tools")
	tb.expect("the tools' groups", `document.querySelectorAll('.tool-picker fieldset.tool-group legend').length > 5`, true)

	filter := chromedp.CSS(".tool-picker input[type=search]")
	tb.do("type a tool's name", chromedp.SendKeys(filter, "sq"))
	tb.expect("the tools shown", `[...document.querySelectorAll('.tool-picker li:not([hidden])')].every((li) => li.textContent.toLowerCase().includes('sq'))`, true)
	tb.do("go down into the list", chromedp.KeyEvent(kb.ArrowDown))
	tb.expect("the focused tool", `document.activeElement.value`, evalJS[string](tb, `document.querySelector('.tool-picker li:not([hidden]) input').value`))
	tb.do("tick it with Space, untick it, and go back to the filter", chromedp.KeyEvent(" "), chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.Escape))
	tb.expect("the focused element after Escape", `document.activeElement.type`, "search")
	tb.expect("the announcement after ticking and unticking", `document.querySelector('.tool-picker [role=status]').textContent.includes('removed. 0 tools chosen.')`, true)
	tb.do("pick Python and SQL with the keyboard",
		chromedp.SendKeys(filter, kb.Backspace+kb.Backspace+"python"+kb.Enter),
		chromedp.SendKeys(filter, "sql"+kb.Enter))
	chosen := `[...document.querySelectorAll('.chosen-tools button')].map((b) => b.childNodes[1].textContent).join(', ')`
	tb.expect("the chosen tools", chosen, "Python, SQL")
	tb.expect("the ticked boxes", `[...document.querySelectorAll('.tool-picker input:checked')].map((i) => i.value).sort().join(' ')`, "python sql")
	tb.do("ask", chromedp.Click(chromedp.CSS(".fit-form button[type=submit]")))

	results := `[...document.querySelectorAll('.match-list > li')].map((li) => li.querySelector('.match-role a').getAttribute('href') + ' ' + li.querySelector('.match-role a').textContent + ' ' + li.querySelector('.match-score strong').textContent).join(' | ')`
	check := func(when string) {
		t.Helper()
		tb.waitFor("the roles "+when, fmt.Sprintf(`document.querySelectorAll('.match-list > li').length === %d`, len(want)))
		tb.expect("the roles and their scores "+when, results, strings.Join(want, " | "))
		tb.expect("the bars "+when, `[...document.querySelectorAll('.match-bar-fill')].map((b) => b.style.width).join(' ')`,
			strings.Join(func() []string {
				var w []string
				for _, m := range api.MatchRoles {
					w = append(w, fmt.Sprintf("%d%%", int(math.Round(m.Score*100))))
				}
				return w
			}(), " "))
		tb.expect("what the first role lacks "+when, `document.querySelectorAll('.match-list > li:first-child .match-parts dd')[1].querySelectorAll('a[href^="/tools/"]').length > 0`, true)
		tb.expect("the address "+when, `location.pathname + location.search`, "/fit?tools=python,sql")
	}
	check("after asking")
	tb.expect("the announcement", `document.querySelector('.fit-results [role=status]').textContent.startsWith('%d roles fit your 2 tools.'.replace('%d', document.querySelectorAll('.match-list > li').length))`, true)
	tb.checkPage()
	tb.screenshot(shots, "fit", true)

	tb.do("reload", chromedp.Reload())
	check("after a reload")
	tb.expect("the chosen tools after a reload", chosen, "Python, SQL")

	tb.do("ask with a tool that does not exist", chromedp.Navigate(finder+"/fit?tools=python,sql,no-such-tool"))
	tb.waitFor("the message", `document.querySelector('.fit-answer .notice')?.textContent.includes('“no-such-tool”')`)
	tb.expect("the roles beside it", `document.querySelectorAll('.match-list > li').length`, len(want))
	tb.checkPage()
	tb.checkClean(finder)
}

// cardProbe is how a card drawn by embed.js looks from inside its shadow root.
type cardProbe struct {
	Title      string `json:"title"`
	Link       string `json:"link"`
	Color      string `json:"color"`
	FontSize   string `json:"fontSize"`
	Background string `json:"background"`
	Display    string `json:"display"`
	Height     int    `json:"height"`
}

// testPartnerCards loads a partner page on another origin, with a stylesheet
// that attacks everything it can reach, and checks that embed.js draws the
// cards as designed and that neither side's CSS touches the other.
func testPartnerCards(t *testing.T, tb *tab, finder, partner, shots string) {
	tb.do("open the partner page", chromedp.Navigate(partner+"/"))
	tb.waitFor("three drawn cards",
		`['light', 'dark', 'missing'].every((id) => document.getElementById(id).shadowRoot?.querySelector('.fc:not(.fc-loading)'))`)
	probe := func(id string) cardProbe {
		return evalJS[cardProbe](tb, fmt.Sprintf(`(() => {
			const root = document.getElementById(%q).shadowRoot;
			const card = root.querySelector('.fc');
			const title = root.querySelector('.fc-title');
			return {
				title: title.textContent, link: root.querySelector('.fc-title a')?.href || '',
				color: getComputedStyle(title).color, fontSize: getComputedStyle(title).fontSize,
				background: getComputedStyle(card).backgroundColor, display: getComputedStyle(card).display,
				height: Math.round(card.getBoundingClientRect().height),
			};
		})()`, id))
	}
	light, dark, missing := probe("light"), probe("dark"), probe("missing")
	want := cardProbe{Title: "Back-End Developer", Link: finder + "/roles/back-end-developer",
		Color: "rgb(27, 34, 48)", FontSize: "20px", Background: "rgb(255, 255, 255)", Display: "block", Height: light.Height}
	if light != want {
		t.Errorf("the light card is\n%+v, want\n%+v", light, want)
	}
	if light.Height < 150 {
		t.Errorf("the light card is %d px high, too small to show its content", light.Height)
	}
	if dark.Background != "rgb(23, 27, 34)" || dark.Color != "rgb(230, 233, 238)" {
		t.Errorf("the dark card has background %s and text %s, want the dark theme", dark.Background, dark.Color)
	}
	if missing.Title != web.MissingCard.Heading {
		t.Errorf("the card of an unknown role says %q, want %q", missing.Title, web.MissingCard.Heading)
	}

	// The hostile rules still hold on the host's own elements, and the
	// card's rules do not reach an element of the host with its class names.
	tb.expect("the host's text colour", `getComputedStyle(document.getElementById('host-text')).color`, "rgb(255, 0, 0)")
	tb.expect("the host's text size", `getComputedStyle(document.getElementById('host-text')).fontSize`, "40px")
	tb.expect("the padding of the host's own .fc element", `getComputedStyle(document.getElementById('host-fc')).paddingTop`, "0px")
	tb.screenshot(shots, "partner-hostile", true)

	tb.do("open the partner's plain page", chromedp.Navigate(partner+"/plain"))
	tb.waitFor("both cards", `['light', 'dark'].every((id) => document.getElementById(id).shadowRoot?.querySelector('.fc-title a'))`)
	tb.waitFor("the iframe card", `document.querySelector('iframe').dataset.loaded === 'yes'`)
	tb.screenshot(shots, "partner", true)
	png, err := chromedp.Run(tb.ctx, chromedp.Screenshot(chromedp.CSS("#cards"), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("screenshot the cards: %v", err)
	}
	tb.write(shots, "role-cards", png)
	tb.checkClean(finder, partner)
}

// testCardPage opens the iframe card itself, dark: its one stylesheet must
// pass its own Content-Security-Policy.
func testCardPage(t *testing.T, tb *tab, finder, shots string) {
	tb.do("size the window like an iframe", chromedp.EmulateViewport(420, 400))
	tb.do("open the dark card", chromedp.Navigate(finder+"/embed/roles/back-end-developer?theme=dark"))
	tb.expect("the card's background", `getComputedStyle(document.querySelector('.fc')).backgroundColor`, "rgb(23, 27, 34)")
	tb.expect("whether the card fits its frame", `document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth`, true)
	tb.screenshot(shots, "card-dark", false)
	tb.do("open a card for an unknown role", chromedp.Navigate(finder+"/embed/roles/no-such-role"))
	tb.expect("the heading", `document.querySelector('.fc-title').textContent`, web.MissingCard.Heading)
	tb.checkClean(finder)
}

// --- The partner site -----------------------------------------------------------

// hostileCSS is a partner stylesheet at its worst: it resets and recolours
// every element, and targets the card's own class names.
const hostileCSS = `
* { all: unset; color: red !important; font-size: 40px !important; font-family: serif !important; }
head, style, script, title { display: none !important; }
body, h1, p, div, section { display: block !important; }
.fc, .fc-title, .fc-tagline, .fc-chips, .fc-skills, article, h2, h3, ul, li, a {
  color: red !important; background: yellow !important; padding: 0 !important; border: 5px solid red !important;
}
`

// partnerSite serves two pages on its own origin: "/" with the hostile
// stylesheet, "/plain" as a partner page would normally look.
func partnerSite(finder string) http.Handler {
	cards := `<div data-finder-role="back-end-developer" id="light"></div>
<div data-finder-role="back-end-developer" data-finder-theme="dark" id="dark"></div>`
	script := `<script src="` + finder + `/embed.js" async></script>`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A hostile partner</title>
<style>%s</style></head><body>
<h1 class="fc-title">Partner news</h1>
<p id="host-text" class="fc-tagline">The partner's own text: red, 40 px.</p>
<div class="fc" id="host-fc">An element of the partner's with the card's class name.</div>
%s
<div data-finder-role="no-such-role" id="missing"></div>
%s</body></html>`, hostileCSS, cards, script)
	})
	mux.HandleFunc("GET /plain", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A partner</title>
<style>body { margin: 0; padding: 24px; font: 16px Georgia, serif; background: #f6f4ef; }
#cards { display: flex; flex-wrap: wrap; gap: 20px; width: fit-content; padding: 16px; }
#cards > div { width: 400px; }</style></head><body>
<h1>Careers this week</h1>
<div id="cards">%s</div>
<h2>The same card in an iframe</h2>
<iframe src="%s/embed/roles/front-end-developer" width="400" height="%d" title="Front-End Developer on Finder" style="border:0" onload="this.dataset.loaded='yes'"></iframe>
%s</body></html>`, cards, finder, web.CardHeight, script)
	})
	return mux
}

// --- Driving Chromium ------------------------------------------------------------

// chromiumPath finds Chromium, or skips the test (fails it when browser
// tests are required).
func chromiumPath(t *testing.T) string {
	path := os.Getenv("FINDER_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("no Chromium at %s: install Debian's chromium package (apt-get install chromium) or set FINDER_CHROMIUM", path)
		if os.Getenv("FINDER_BROWSER_TESTS") == "required" {
			t.Fatal("browser tests are required (FINDER_BROWSER_TESTS=required), but there is " + msg)
		}
		t.Skip("browser tests skipped: " + msg)
	}
	return path
}

// startBrowser starts one headless Chromium for the test, stopped at its end.
func startBrowser(t *testing.T, path string) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }() // the first Do starts the browser
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium (%s): %v", path, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Chromium (%s) did not start within 30s", path)
	}
	return ctx
}

// tab is one browser tab, with what it requested and what went wrong in it.
type tab struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	problems []string
}

func openTab(t *testing.T, browser context.Context) *tab {
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tb := &tab{t: t}
	if err := chromedp.Listen(ctx, tb.record); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	tb.ctx, cancel = context.WithTimeout(ctx, tabLife)
	t.Cleanup(cancel)
	return tb
}

// record keeps every request and every error the page reports (runs on
// chromedp's reading goroutine: quick, and under the lock).
func (tb *tab) record(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		text := e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			text += " " + e.ExceptionDetails.Exception.Description
		}
		tb.problems = append(tb.problems, "uncaught: "+text)
	case *runtime.EventConsoleAPICalled:
		if e.Type == "error" {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, a.Description+string(a.Value))
			}
			tb.problems = append(tb.problems, "console.error: "+strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		// A 404 page's status shows up as a network error: that one is expected.
		if string(e.Entry.Level) == "error" && string(e.Entry.Source) != "network" {
			tb.problems = append(tb.problems, string(e.Entry.Source)+": "+e.Entry.Text)
		}
	}
}

// do runs the steps, failing the test with what it was doing.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserWait)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v%s", what, err, tb.state())
	}
}

// waitFor waits until the JavaScript expression is truthy.
func (tb *tab) waitFor(what, expr string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserWait+time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(browserWait))); err != nil {
		tb.t.Fatalf("waiting for %s: %v%s", what, err, tb.state())
	}
}

// expect checks the value of a JavaScript expression.
func (tb *tab) expect(what, expr string, want any) {
	tb.t.Helper()
	if got := evalJS[any](tb, expr); fmt.Sprint(got) != fmt.Sprint(want) {
		tb.t.Errorf("%s is %v, want %v", what, got, want)
	}
}

func evalJS[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserWait)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v%s", expr, err, tb.state())
	}
	return v
}

// state describes the page, for a failure message.
func (tb *tab) state() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + '\n' + (document.querySelector('main') || document.body).innerText.slice(0, 500)`))
	if err != nil {
		return ""
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return fmt.Sprintf("\npage: %s\nproblems: %v", s, tb.problems)
}

// checkPage checks what every page of the client must have: one h1,
// a label for every control, and a text alternative for every image.
func (tb *tab) checkPage() {
	tb.t.Helper()
	path := evalJS[string](tb, `location.pathname + location.search`)
	if n := evalJS[int](tb, `document.querySelectorAll('h1').length`); n != 1 {
		tb.t.Errorf("%s has %d h1 elements, want 1", path, n)
	}
	unlabelled := evalJS[[]string](tb, `[...document.querySelectorAll('input, select, textarea, button')]
		.filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
		.map((el) => el.outerHTML.slice(0, 80))`)
	if len(unlabelled) > 0 {
		tb.t.Errorf("%s has controls without a label: %v", path, unlabelled)
	}
	if n := evalJS[int](tb, `document.querySelectorAll('img:not([alt]), svg[role=img]:not([aria-label]):not([aria-labelledby])').length`); n > 0 {
		tb.t.Errorf("%s has %d images without a text alternative", path, n)
	}
}

// checkClean fails the test if the page threw, logged an error, broke its
// Content-Security-Policy, or requested anything from another origin.
func (tb *tab) checkClean(origins ...string) {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("the page reported: %s", p)
	}
	for _, u := range tb.requests {
		ok := strings.HasPrefix(u, "data:")
		for _, o := range origins {
			ok = ok || strings.HasPrefix(u, o+"/")
		}
		if !ok {
			tb.t.Errorf("the page requested %s, which is not from %v", u, origins)
		}
	}
}

// screenshot saves the viewport (or the whole page) as name.png.
func (tb *tab) screenshot(dir, name string, fullPage bool) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserWait)
	defer cancel()
	shot := chromedp.CaptureScreenshot()
	if fullPage {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	tb.write(dir, name, png)
}

func (tb *tab) write(dir, name string, png []byte) {
	tb.t.Helper()
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", path)
}

// screenshotDir is artifacts/browser/ at the repository's root.
func screenshotDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "artifacts", "browser"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
