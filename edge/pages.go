package edge

// The pages people see: the Finder web client, a single-page app whose
// routes all answer with one HTML shell, and the partner role cards
// (/embed/roles/{slug}, /embed.js and /oembed). The pages read the catalog
// only to answer with the right status and title; everything else they
// show comes from /graphql, like any other client.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/respcache"
	"github.com/finder-platform/finder/web"
)

// shellPages are the web client's pages whose title and description do
// not depend on the catalog.
var shellPages = []struct {
	pattern string
	data    web.ShellData
}{
	{"GET /{$}", web.ShellData{Title: "The roles that exist in tech",
		Description: "What each job in tech is, the skills and tools it needs, what it pays and how to learn it."}},
	{"GET /compare", web.ShellData{Title: "Compare two roles",
		Description: "Two roles in tech side by side: the tools and skills they share, and those they do not."}},
	{"GET /path", web.ShellData{Title: "Career path",
		Description: "From the role you have to the one you want: the roles on the way, the tools each step asks for and where to learn them."}},
	{"GET /fit", web.ShellData{Title: "What fits my tools",
		Description: "The roles in tech that the tools and skills you have fit best, and what to learn next for each."}},
}

// --- The web client ---------------------------------------------------------

// shellPage answers a page of the client whose title and description do
// not depend on the catalog.
func (e *Edge) shellPage(data web.ShellData) handler {
	return func(w http.ResponseWriter, r *http.Request, _ Request) Answer {
		return e.writeShell(w, r, http.StatusOK, data)
	}
}

// rolePage answers /roles/{slug} with the shell: 404 for a role that does
// not exist, so that crawlers and link checkers see it too.
func (e *Edge) rolePage(w http.ResponseWriter, r *http.Request, _ Request) Answer {
	slug := slugOf(r)
	role, err := e.roleBySlug(r.Context(), slug)
	switch {
	case err != nil:
		e.logger.Warn("role page: store not answering", "slug", slug, "error", err)
		return e.writeShell(w, r, http.StatusServiceUnavailable, web.ShellData{Title: "Finder is not answering"})
	case role == nil:
		return e.writeShell(w, r, http.StatusNotFound, web.ShellData{Title: "Role not found"})
	default:
		base := baseURL(r)
		return e.writeShell(w, r, http.StatusOK, web.ShellData{
			Title:       role.Title,
			Description: role.Tagline,
			OEmbedURL:   base + "/oembed?format=json&url=" + url.QueryEscape(base+"/roles/"+role.Slug),
		})
	}
}

// toolPage answers /tools/{slug} with the shell, 404 for an unknown tool.
func (e *Edge) toolPage(w http.ResponseWriter, r *http.Request, _ Request) Answer {
	slug := slugOf(r)
	var tool *model.Tool
	var err error
	if model.ValidSlug(slug) {
		view, _, _ := e.catalog.View()
		tool, err = view.ToolBySlug(r.Context(), slug)
	}
	switch {
	case err != nil:
		e.logger.Warn("tool page: store not answering", "slug", slug, "error", err)
		return e.writeShell(w, r, http.StatusServiceUnavailable, web.ShellData{Title: "Finder is not answering"})
	case tool == nil:
		return e.writeShell(w, r, http.StatusNotFound, web.ShellData{Title: "Tool not found"})
	default:
		return e.writeShell(w, r, http.StatusOK, web.ShellData{
			Title:       tool.Name,
			Description: "The roles in tech that use " + tool.Name + ".",
		})
	}
}

// writeShell answers with the client's HTML page. The page names versioned
// assets, so it is revalidated on every visit.
func (e *Edge) writeShell(w http.ResponseWriter, r *http.Request, status int, d web.ShellData) Answer {
	var body bytes.Buffer
	if err := web.Shell(&body, d); err != nil {
		e.logger.Error("render the client's page", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return Answer{Status: http.StatusInternalServerError}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", web.ClientCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cache-Control", "no-cache")
	return write(w, status, body.Bytes())
}

// --- Role cards ---------------------------------------------------------------

// roleCard answers /embed/roles/{slug} with a role card: a page for an
// iframe (no script, inline styles only, cacheable, framable by any site),
// or with ?fragment=true the card alone, for embed.js to put in a partner's
// page. Both are drawn from one template (web/embed/card.html).
func (e *Edge) roleCard(w http.ResponseWriter, r *http.Request, _ Request) Answer {
	base := baseURL(r)
	q := r.URL.Query()
	role, err := e.roleBySlug(r.Context(), slugOf(r))
	var tools []model.Tool
	if err == nil && role != nil {
		view, _, _ := e.catalog.View()
		tools, err = view.ToolsByIDs(r.Context(), role.ToolIDs)
	}
	var d web.CardData
	status, cache := http.StatusOK, "public, max-age=300"
	switch {
	case err != nil:
		e.logger.Warn("role card: store not answering", "slug", slugOf(r), "error", err)
		d, status, cache = web.OfflineCard, http.StatusServiceUnavailable, "no-store"
	case role == nil:
		d, status, cache = web.MissingCard, http.StatusNotFound, "public, max-age=60"
	default:
		d = web.CardData{Found: true, Title: role.Title, Tagline: role.Tagline,
			Skills:  role.Skills[:min(web.CardSkills, len(role.Skills))],
			Tools:   toolNames(role.ToolIDs, tools, web.CardTools),
			RoleURL: base + "/roles/" + role.Slug}
	}
	d.Theme, d.HomeURL = cardTheme(q.Get("theme")), base+"/"

	render, h := web.Card, w.Header()
	if q.Get("fragment") == "true" {
		// Fetched by embed.js from partner pages: any origin may read it.
		render = web.CardFragment
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Add("Vary", "Origin")
	}
	var body bytes.Buffer
	if err := render(&body, d); err != nil {
		e.logger.Error("render a role card", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return Answer{Status: http.StatusInternalServerError}
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", web.CardCSP())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", cache)
	if status != http.StatusOK {
		return write(w, status, body.Bytes())
	}
	// The ETag is the body's hash; ServeContent answers a matching
	// If-None-Match with 304.
	h.Set("ETag", respcache.ETag(body.Bytes()))
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	http.ServeContent(rec, r, "", time.Time{}, bytes.NewReader(body.Bytes()))
	return Answer{Status: rec.status, Bytes: rec.bytes}
}

// cardTheme is the theme a card was asked for: light unless dark or auto.
func cardTheme(q string) string {
	if q == "dark" || q == "auto" {
		return q
	}
	return "light"
}

// toolNames names the first n tools in the role's own order (ToolsByIDs
// answers in no particular order).
func toolNames(order []string, tools []model.Tool, n int) []string {
	byID := make(map[string]string, len(tools))
	for _, t := range tools {
		byID[t.ID] = t.Name
	}
	var names []string
	for _, id := range order {
		if name, ok := byID[id]; ok && len(names) < n {
			names = append(names, name)
		}
	}
	return names
}

// --- oEmbed -------------------------------------------------------------------

// oembedAnswer is an oEmbed "rich" response (https://oembed.com, 2.3.4).
type oembedAnswer struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	Title        string `json:"title"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	CacheAge     int    `json:"cache_age"`
}

// oembed answers /oembed?url=<a role page>: the card as an iframe, so that
// content systems that speak oEmbed turn a pasted link into a card.
func (e *Edge) oembed(w http.ResponseWriter, r *http.Request, _ Request) Answer {
	q := r.URL.Query()
	if f := q.Get("format"); f != "" && f != "json" {
		return plainError(w, http.StatusNotImplemented, "format: only json is supported")
	}
	width, werr := maxSize(q.Get("maxwidth"), web.CardWidth)
	height, herr := maxSize(q.Get("maxheight"), web.CardHeight)
	if err := errors.Join(werr, herr); err != nil {
		return plainError(w, http.StatusBadRequest, err.Error())
	}
	slug, ok := rolePageSlug(q.Get("url"), r.Host)
	if !ok {
		return plainError(w, http.StatusNotFound, "url: not the address of a role page on this Finder, such as "+baseURL(r)+"/roles/back-end-developer")
	}
	role, err := e.roleBySlug(r.Context(), slug)
	if err != nil {
		e.logger.Warn("oembed: store not answering", "slug", slug, "error", err)
		return plainError(w, http.StatusServiceUnavailable, "Finder is not answering; please try again in a moment")
	}
	if role == nil {
		return plainError(w, http.StatusNotFound, "url: no role has the slug "+strconv.Quote(slug))
	}

	base := baseURL(r)
	src := base + "/embed/roles/" + role.Slug
	if t := q.Get("theme"); t == "dark" || t == "auto" {
		src += "?theme=" + t
	}
	frame := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" loading="lazy" style="border:0;max-width:100%%"></iframe>`,
		html.EscapeString(src), width, height, html.EscapeString(role.Title+" on Finder"))
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false) // the html member is meant to be read
	_ = enc.Encode(oembedAnswer{
		Version: "1.0", Type: "rich", ProviderName: "Finder Platform", ProviderURL: base + "/",
		Title: role.Title, HTML: frame, Width: width, Height: height, CacheAge: 300,
	})
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=300")
	return write(w, http.StatusOK, body.Bytes())
}

// plainError answers with a line of text, as http.Error does.
func plainError(w http.ResponseWriter, status int, message string) Answer {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	return write(w, status, []byte(message+"\n"))
}

// rolePageSlug returns the slug of a role page's absolute URL on this host.
func rolePageSlug(raw, host string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, host) {
		return "", false
	}
	parts := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	if len(parts) != 3 || parts[0] != "" || parts[1] != "roles" || !model.ValidSlug(parts[2]) {
		return "", false
	}
	return parts[2], true
}

// maxSize is the card's size along one axis, no more than the consumer's
// maximum when it gave one.
func maxSize(limit string, size int) (int, error) {
	if limit == "" {
		return size, nil
	}
	n, err := strconv.Atoi(limit)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("maxwidth and maxheight: must be whole numbers of pixels, not %q", limit)
	}
	return min(n, size), nil
}

// --- Helpers ------------------------------------------------------------------

// roleBySlug is the role with the slug, or nil; a malformed slug is simply
// no role, without a trip to the store.
func (e *Edge) roleBySlug(ctx context.Context, slug string) (*model.Role, error) {
	if !model.ValidSlug(slug) {
		return nil, nil
	}
	view, _, _ := e.catalog.View()
	return view.RoleBySlug(ctx, slug)
}

// baseURL is the scheme and host the request reached the server at: the
// scheme from X-Forwarded-Proto when a proxy set it, the host from Host.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	if p := strings.ToLower(strings.TrimSpace(proto)); slices.Contains([]string{"http", "https"}, p) {
		scheme = p
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}
