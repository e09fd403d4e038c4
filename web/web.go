// Package web holds the pages the server serves, embedded in the binary:
// GraphiQL for analysts, the Finder web client, and partner role cards.
// They are plain HTML, CSS and JavaScript modules: no build step, and no
// request leaves the server's own origin.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

//go:embed graphiql
var graphiql embed.FS

// csp allows only the server's own scripts, styles and images.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'"

// GraphiQL serves the in-browser IDE analysts use to explore the API:
// /graphiql is the page, /graphiql/{file} its assets.
func GraphiQL() http.Handler {
	sub, _ := fs.Sub(graphiql, "graphiql")
	files := http.StripPrefix("/graphiql/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/graphiql" {
			http.ServeFileFS(w, r, sub, "index.html")
			return
		}
		files.ServeHTTP(w, r)
	})
}

// --- The Finder web client ---------------------------------------------------

//go:embed client
var client embed.FS

// ClientCSP is the web client's Content-Security-Policy: scripts, styles,
// images and API calls from this origin only, and no inline code at all.
const ClientCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

var (
	clientFiles = mustSub(client, "client")
	// assetVersion changes whenever any file of the client does, so the
	// files can be cached for good under /assets/{version}/ and a page never
	// mixes modules of two releases.
	assetVersion = hashFiles(clientFiles)
	assets       = loadFiles(clientFiles, "index.html")
	shell        = template.Must(template.ParseFS(clientFiles, "index.html"))
	// modules are the client's modules that app.js imports, which the shell
	// asks the browser to fetch at once rather than one import at a time.
	modules = moduleNames(assets)
)

func moduleNames(files map[string]file) []string {
	var names []string
	for name := range files {
		if strings.HasSuffix(name, ".js") && name != "app.js" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// ShellData is what the server knows about a page before the client runs:
// enough for a useful title and link previews.
type ShellData struct {
	// Title is the page's title, without the site's name.
	Title string
	// Description is a sentence for search engines and link previews.
	Description string
	// OEmbedURL, on a role page, is where oEmbed consumers discover its card.
	OEmbedURL string
}

// Shell writes the web client's one HTML page, which every client route
// (/, /roles/{slug}, /tools/{slug}, /compare) answers with.
func Shell(w io.Writer, d ShellData) error {
	return shell.Execute(w, struct {
		ShellData
		Assets  string
		Modules []string
	}{d, AssetPrefix(), modules})
}

// AssetPrefix is the path the client's files are served under.
func AssetPrefix() string { return "/assets/" + assetVersion + "/" }

// Assets serves the client's files as /assets/{version}/{file}. Under the
// current version they never change, so browsers keep them for a year;
// under an older version (a page loaded before a release) they are served
// too, but only after revalidation.
func Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/assets/"), "/")
		f, found := assets[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		cache := "no-cache"
		if version == assetVersion {
			cache = "public, max-age=31536000, immutable"
		}
		serveFile(w, r, f, cache)
	})
}

// --- Partner role cards -------------------------------------------------------

//go:embed embed
var cards embed.FS

var (
	cardFiles = mustSub(cards, "embed")
	cardCSS   = mustRead(cardFiles, "card.css")
	cardPage  = template.Must(template.ParseFS(cardFiles, "card.html"))
	// cardCSP lets any site frame the card, and allows exactly its own
	// stylesheet (by hash) and nothing else: no script, no request.
	cardCSP = "default-src 'none'; style-src '" + sha256Source(cardCSS) + "'; img-src data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors *"
	embedScript = buildEmbedScript()
)

// A card shows a role's first CardSkills skills and CardTools tools. In an
// iframe it is CardWidth by CardHeight pixels, as oEmbed announces it:
// room for the title, three lines of tagline, the skills and two rows of
// tools.
const (
	CardSkills = 3
	CardTools  = 6
	CardWidth  = 400
	CardHeight = 380
)

// The cards for a role that does not exist and for a Finder that cannot
// answer: the server's, and embed.js's own when it cannot reach the server.
var (
	MissingCard = CardData{Heading: "We could not find this role", Message: "It may have been renamed or removed."}
	OfflineCard = CardData{Heading: "Finder is not answering", Message: "Please try again in a moment."}
)

// CardData is one role card. Without Found, the card says Heading and
// Message instead: a role that does not exist, or a server in trouble;
// with Loading, that it is on its way.
type CardData struct {
	Found   bool
	Loading bool
	Heading string
	Message string
	// Theme is "light", "dark" or "auto" (the reader's system).
	Theme   string
	Title   string
	Tagline string
	Skills  []string
	Tools   []string
	// RoleURL is the role's page on Finder; HomeURL, Finder's home page.
	RoleURL string
	HomeURL string
}

// Card writes a role card as a self-contained HTML page for an iframe.
func Card(w io.Writer, d CardData) error {
	return cardPage.Execute(w, struct {
		CardData
		CSS template.CSS
	}{d, template.CSS(cardCSS)})
}

// CardFragment writes a role card alone, as embed.js puts it into a
// partner's page.
func CardFragment(w io.Writer, d CardData) error {
	return cardPage.ExecuteTemplate(w, "card", d)
}

// CardCSP is the Content-Security-Policy a role card is served with.
func CardCSP() string { return cardCSP }

// EmbedScript serves /embed.js, the one script a partner site includes to
// turn its div[data-finder-role] elements into role cards. Any origin may
// load it; it changes only with a release, so it is cached for five minutes.
func EmbedScript() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		serveFile(w, r, embedScript, "public, max-age=300")
	})
}

// The placeholders of the cards embed.js draws before it has a role's:
// it puts its origin and the card's theme in their place.
const (
	originPlaceholder = "__FINDER_ORIGIN__"
	themePlaceholder  = "__FINDER_THEME__"
)

// buildEmbedScript puts card.css into embed.js, so the shadow-root card
// and the iframe card share one stylesheet, and the cards it draws while
// it waits or cannot reach Finder, from the one card template.
func buildEmbedScript() file {
	js := mustRead(cardFiles, "embed.js")
	for _, part := range []struct {
		placeholder string
		content     string
	}{
		{"__FINDER_CARD_CSS__", string(cardCSS)},
		{"__FINDER_CARD_LOADING__", cardHTML(CardData{Loading: true})},
		{"__FINDER_CARD_MISSING__", cardHTML(MissingCard)},
		{"__FINDER_CARD_OFFLINE__", cardHTML(OfflineCard)},
	} {
		quoted, _ := json.Marshal(part.content)
		js = bytes.Replace(js, []byte(`"`+part.placeholder+`"`), quoted, 1)
	}
	return newFile("embed.js", js)
}

// cardHTML is a card drawn with the placeholders, for embed.js.
func cardHTML(d CardData) string {
	d.Theme, d.HomeURL = themePlaceholder, originPlaceholder+"/"
	var b strings.Builder
	if err := CardFragment(&b, d); err != nil {
		panic(err) // the template is part of the binary
	}
	return b.String()
}

// --- Serving embedded files ------------------------------------------------------

// file is an embedded file, read once, with its ETag.
type file struct {
	name string
	data []byte
	etag string
}

func newFile(name string, data []byte) file {
	sum := sha256.Sum256(data)
	return file{name: name, data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// serveFile answers with f, or 304 when the client has it already
// (http.ServeContent compares If-None-Match with the ETag set here).
func serveFile(w http.ResponseWriter, r *http.Request, f file, cacheControl string) {
	h := w.Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if ct := mime.TypeByExtension(path.Ext(f.name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.data))
}

// loadFiles reads every file of fsys but the skipped ones, by path.
func loadFiles(fsys fs.FS, skip ...string) map[string]file {
	files := map[string]file{}
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || slices.Contains(skip, p) {
			return err
		}
		files[p] = newFile(p, mustRead(fsys, p))
		return nil
	})
	return files
}

// hashFiles is a short hash of every file's path and content.
func hashFiles(fsys fs.FS) string {
	h := sha256.New()
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data := mustRead(fsys, p)
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// sha256Source is a CSP source that allows exactly this inline content.
func sha256Source(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// The embedded files are part of the binary: failing to read one is a
// build mistake, caught by the first test that loads this package.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

func mustRead(fsys fs.FS, name string) []byte {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(err)
	}
	return b
}
