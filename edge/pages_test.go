package edge

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/finder-platform/finder/web"
)

// fetch sends a GET with optional headers (name, value, ...) and returns the
// response with its body read.
func fetch(t *testing.T, rawURL string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestPagesClientRoutes(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	for _, tc := range []struct {
		path   string
		status int
		title  string
	}{
		{"/", http.StatusOK, "The roles that exist in tech · Finder"},
		{"/roles/back-end-developer", http.StatusOK, "Back-End Developer · Finder"},
		{"/roles/no-such-role", http.StatusNotFound, "Role not found · Finder"},
		{"/roles/Not_A_Slug", http.StatusNotFound, "Role not found · Finder"},
		{"/tools/python", http.StatusOK, "Python · Finder"},
		{"/tools/no-such-tool", http.StatusNotFound, "Tool not found · Finder"},
		{"/compare", http.StatusOK, "Compare two roles · Finder"},
		{"/compare?a=back-end-developer&b=front-end-developer", http.StatusOK, "Compare two roles · Finder"},
		{"/path", http.StatusOK, "Career path · Finder"},
		{"/path?from=qa-engineer&to=software-architect", http.StatusOK, "Career path · Finder"},
		{"/fit", http.StatusOK, "What fits my tools · Finder"},
		{"/fit?tools=python,sql&skills=statistics", http.StatusOK, "What fits my tools · Finder"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := fetch(t, srv.URL+tc.path)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self';", "connect-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if !strings.Contains(body, "<title>"+tc.title+"</title>") {
				t.Errorf("the page's title is not %q", tc.title)
			}
			if !regexp.MustCompile(`<script type="module" src="/assets/[0-9a-f]+/app\.js"></script>`).MatchString(body) {
				t.Error("the page does not load the client's app.js")
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") {
				t.Error("the page has inline script, which its CSP forbids")
			}
		})
	}

	// A role page tells oEmbed consumers where its card is.
	_, body := fetch(t, srv.URL+"/roles/back-end-developer")
	want := `<link rel="alternate" type="application/json+oembed" href="` + srv.URL + `/oembed?format=json&amp;url=` +
		url.QueryEscape(srv.URL+"/roles/back-end-developer") + `"`
	if !strings.Contains(body, want) {
		t.Errorf("the role page has no oEmbed discovery link %s", want)
	}
}

var (
	importRE  = regexp.MustCompile(`(?m)^import\s.*?from\s+'([^']+)';|^import\s+'([^']+)';`)
	preloadRE = regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`)
)

// TestPagesAssets follows the client's module graph from its page: every
// file it names is served, with the right type and for good.
func TestPagesAssets(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	_, page := fetch(t, srv.URL+"/")
	var queue []string
	for _, m := range preloadRE.FindAllStringSubmatch(page, -1) {
		queue = append(queue, m[1])
	}
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
	seen := map[string]bool{}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		resp, body := fetch(t, srv.URL+path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
			continue
		}
		ext := path[strings.LastIndexByte(path, '.'):]
		if ct := resp.Header.Get("Content-Type"); ct != types[ext] {
			t.Errorf("%s: Content-Type %q, want %q", path, ct, types[ext])
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		if ext != ".js" {
			continue
		}
		for _, m := range importRE.FindAllStringSubmatch(body, -1) {
			spec := m[1] + m[2]
			ref, err := url.Parse(path)
			if err != nil || !strings.HasPrefix(spec, ".") {
				t.Errorf("%s imports %q: only relative imports of our own modules are allowed", path, spec)
				continue
			}
			next, _ := ref.Parse(spec)
			queue = append(queue, next.Path)
		}
	}
	if len(seen) < 10 {
		t.Errorf("the page's module graph has %d files, want the whole client", len(seen))
	}

	appJS := regexp.MustCompile(`/assets/[0-9a-f]+/app\.js`).FindString(page)
	resp, _ := fetch(t, srv.URL+appJS)
	if resp2, body := fetch(t, srv.URL+appJS, "If-None-Match", resp.Header.Get("ETag")); resp2.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("If-None-Match with the ETag: status %d, body %d bytes; want 304 and none", resp2.StatusCode, len(body))
	}
	// A page loaded before a release asks for the old version: it gets the
	// current file, but may not keep it.
	old := regexp.MustCompile(`/assets/[0-9a-f]+/`).ReplaceAllString(appJS, "/assets/000000000000/")
	if resp, _ := fetch(t, srv.URL+old); resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an older version: status %d, Cache-Control %q; want 200 and no-cache", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/assets/", "/assets/app.js", "/assets/v/no-such-file.js", "/assets/v/index.html"} {
		if resp, _ := fetch(t, srv.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestEmbedCard(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	card := srv.URL + "/embed/roles/back-end-developer"

	resp, body := fetch(t, card)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	h := resp.Header
	if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if n := len(body); n > 30*1024 {
		t.Errorf("the card is %d bytes, over 30 KB", n)
	}
	if cc := h.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control %q", cc)
	}
	if h.Get("X-Frame-Options") != "" {
		t.Error("X-Frame-Options would stop partners from framing the card")
	}
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q: want frame-ancestors * and nothing else allowed", csp)
	}
	// The policy allows exactly the card's inline stylesheet, by its hash.
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
	if style == nil {
		t.Fatal("the card has no <style>")
	}
	sum := sha256.Sum256([]byte(style[1]))
	if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, hash) {
		t.Errorf("Content-Security-Policy %q does not allow the card's stylesheet %s", csp, hash)
	}
	for _, want := range []string{
		"<h2 class=\"fc-title\" id=\"fc-title\"><a href=\"" + srv.URL + "/roles/back-end-developer\" target=\"_blank\" rel=\"noopener\">Back-End Developer</a></h2>",
		"Have you ever wondered how your favorite websites and apps work so seamlessly?",
		"<li>Proficiency in programming languages and frameworks</li>",
		"<li>Java</li><li>Python</li><li>Ruby</li><li>PHP</li><li>MySQL</li><li>MongoDB</li></ul>",
		`class="fc fc-light"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the card lacks %s", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the card has a script; it needs none")
	}

	// A client that has the card gets 304 without a body.
	etag := h.Get("ETag")
	if resp, body := fetch(t, card, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("If-None-Match %s: status %d, %d bytes; want 304 and none", etag, resp.StatusCode, len(body))
	}

	// Themes, and links that follow the scheme a proxy reports.
	resp, body = fetch(t, card+"?theme=dark", "X-Forwarded-Proto", "https")
	if !strings.Contains(body, `class="fc fc-dark"`) || resp.Header.Get("ETag") == etag {
		t.Error("theme=dark does not give a dark card with its own ETag")
	}
	if want := `href="https://` + strings.TrimPrefix(srv.URL, "http://") + `/roles/back-end-developer"`; !strings.Contains(body, want) {
		t.Errorf("behind an HTTPS proxy the card does not link to %s", want)
	}
	if _, body := fetch(t, card+"?theme=auto"); !strings.Contains(body, `class="fc fc-auto"`) {
		t.Error("theme=auto does not follow the reader's system")
	}
	if _, body := fetch(t, card+"?theme=<b>"); !strings.Contains(body, `class="fc fc-light"`) {
		t.Error("an unknown theme is not light")
	}

	// An unknown role: a friendly card, 404.
	for _, slug := range []string{"no-such-role", "Not_A_Slug"} {
		resp, body := fetch(t, srv.URL+"/embed/roles/"+slug)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "We could not find this role") {
			t.Errorf("%s: status %d; want 404 and a friendly card\n%s", slug, resp.StatusCode, body)
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
			t.Errorf("%s: the not-found card cannot be framed", slug)
		}
	}
}

// TestEmbedCardFragment checks the card embed.js asks for: the iframe
// card's own markup, without the page around it, readable from any
// origin, for a known role and an unknown one.
func TestEmbedCardFragment(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	_, page := fetch(t, srv.URL+"/embed/roles/back-end-developer?theme=dark")
	resp, fragment := fetch(t, srv.URL+"/embed/roles/back-end-developer?fragment=true&theme=dark", "Origin", "https://partner.example")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("status %d, Access-Control-Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if !strings.HasPrefix(fragment, `<article class="fc fc-dark"`) || !strings.HasSuffix(fragment, "</article>") {
		t.Errorf("the fragment is not the card alone:\n%s", fragment)
	}
	if !strings.Contains(page, fragment) {
		t.Errorf("the iframe page does not draw the same card as the fragment:\n%s\n---\n%s", page, fragment)
	}
	if strings.Count(fragment, "<li>") != web.CardSkills+web.CardTools {
		t.Errorf("the card shows %d list items, want %d skills and %d tools", strings.Count(fragment, "<li>"), web.CardSkills, web.CardTools)
	}
	resp, missing := fetch(t, srv.URL+"/embed/roles/no-such-role?fragment=true")
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(missing, "We could not find this role") || strings.Contains(missing, "<html") {
		t.Errorf("an unknown role's fragment: %d %q", resp.StatusCode, missing)
	}
}

func TestEmbedScript(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	resp, body := fetch(t, srv.URL+"/embed.js", "Origin", "https://partner.example")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for name, want := range map[string]string{
		"Content-Type":                "text/javascript; charset=utf-8",
		"Cache-Control":               "public, max-age=300",
		"Access-Control-Allow-Origin": "*",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if strings.Contains(body, "__FINDER_CARD_CSS__") || !strings.Contains(body, ".fc-title") {
		t.Error("the card's stylesheet was not put into embed.js")
	}
	// The cards embed.js draws on its own come from the card template.
	for _, want := range []string{"__FINDER_CARD_LOADING__", "__FINDER_CARD_MISSING__", "__FINDER_CARD_OFFLINE__"} {
		if strings.Contains(body, want) {
			t.Errorf("%s was not put into embed.js", want)
		}
	}
	for _, want := range []string{`fc-loading\" aria-busy=\"true\"`, web.MissingCard.Heading, web.OfflineCard.Heading} {
		if !strings.Contains(body, want) {
			t.Errorf("embed.js lacks the template's card %s", want)
		}
	}
	if !strings.Contains(body, "?fragment=true") {
		t.Error("embed.js does not fetch the server's card")
	}
	if strings.Contains(body, "import ") || strings.Contains(body, "export ") {
		t.Error("embed.js must be a plain script, not a module")
	}
	if n := len(body); n > 30*1024 {
		t.Errorf("embed.js is %d bytes, over 30 KB", n)
	}
	if resp, _ := fetch(t, srv.URL+"/embed.js", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", resp.StatusCode)
	}
}

func TestOEmbed(t *testing.T) {
	srv := newTestEdge(t, 0, nil)
	page := srv.URL + "/roles/back-end-developer"
	oembed := func(q url.Values) (*http.Response, string) {
		return fetch(t, srv.URL+"/oembed?"+q.Encode())
	}

	resp, body := oembed(url.Values{"url": {page}, "format": {"json"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var got oembedAnswer
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := oembedAnswer{
		Version: "1.0", Type: "rich", ProviderName: "Finder Platform", ProviderURL: srv.URL + "/",
		Title: "Back-End Developer", Width: web.CardWidth, Height: web.CardHeight, CacheAge: 300,
		HTML: `<iframe src="` + srv.URL + `/embed/roles/back-end-developer" width="400" height="380" title="Back-End Developer on Finder" loading="lazy" style="border:0;max-width:100%"></iframe>`,
	}
	if got != want {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}

	// The consumer's limits shrink the card; format defaults to json.
	_, body = oembed(url.Values{"url": {page}, "maxwidth": {"300"}, "maxheight": {"1000"}, "theme": {"dark"}})
	_ = json.Unmarshal([]byte(body), &got)
	if got.Width != 300 || got.Height != web.CardHeight || !strings.Contains(got.HTML, `width="300"`) || !strings.Contains(got.HTML, "?theme=dark") {
		t.Errorf("maxwidth=300 maxheight=1000 theme=dark: %+v", got)
	}

	for _, tc := range []struct {
		name   string
		q      url.Values
		status int
	}{
		{"xml", url.Values{"url": {page}, "format": {"xml"}}, http.StatusNotImplemented},
		{"unknown role", url.Values{"url": {srv.URL + "/roles/no-such-role"}}, http.StatusNotFound},
		{"a tool page", url.Values{"url": {srv.URL + "/tools/python"}}, http.StatusNotFound},
		{"the home page", url.Values{"url": {srv.URL + "/"}}, http.StatusNotFound},
		{"a page below a role", url.Values{"url": {page + "/more"}}, http.StatusNotFound},
		{"another site", url.Values{"url": {"https://elsewhere.example/roles/back-end-developer"}}, http.StatusNotFound},
		{"not a URL", url.Values{"url": {"back-end-developer"}}, http.StatusNotFound},
		{"no url", url.Values{}, http.StatusNotFound},
		{"bad maxwidth", url.Values{"url": {page}, "maxwidth": {"wide"}}, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if resp, body := oembed(tc.q); resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
		})
	}
}
