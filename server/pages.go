package main

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

// The size of a role card in an iframe, as oEmbed announces it: room for
// the title, three lines of tagline, three skills and two rows of tools.
const (
	cardWidth  = 400
	cardHeight = 380
	cardSkills = 3
	cardTools  = 6
)

// pageRoutes adds the web client's and the role cards' routes to mux.
func (a *app) pageRoutes(mux *http.ServeMux) {
	mux.Handle("GET /assets/", web.Assets())
	for _, p := range []struct{ pattern, title, description string }{
		{"GET /{$}", "The roles that exist in tech",
			"What each job in tech is, the skills and tools it needs, what it pays and how to learn it."},
		{"GET /compare", "Compare two roles",
			"Two roles in tech side by side: the tools and skills they share, and those they do not."},
		{"GET /path", "Career path",
			"From the role you have to the one you want: the roles on the way, the tools each step asks for and where to learn them."},
		{"GET /fit", "What fits my tools",
			"The roles in tech that the tools and skills you have fit best, and what to learn next for each."},
	} {
		mux.HandleFunc(p.pattern, a.shellPage(web.ShellData{Title: p.title, Description: p.description}))
	}
	mux.HandleFunc("GET /roles/{slug}", a.rolePage)
	mux.HandleFunc("GET /tools/{slug}", a.toolPage)
	mux.HandleFunc("GET /embed/roles/{slug}", a.roleCard)
	mux.Handle("GET /embed.js", web.EmbedScript())
	mux.HandleFunc("GET /oembed", a.oembed)
}

// --- The web client ---------------------------------------------------------

// shellPage answers a page of the client whose title and description do
// not depend on the catalog.
func (a *app) shellPage(data web.ShellData) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { a.writeShell(w, r, http.StatusOK, data) }
}

// rolePage answers /roles/{slug} with the shell: 404 for a role that does
// not exist, so that crawlers and link checkers see it too.
func (a *app) rolePage(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	role, err := a.roleBySlug(r.Context(), slug)
	switch {
	case err != nil:
		a.logger.Warn("role page: store not answering", "slug", slug, "error", err)
		a.writeShell(w, r, http.StatusServiceUnavailable, web.ShellData{Title: "Finder is not answering"})
	case role == nil:
		a.writeShell(w, r, http.StatusNotFound, web.ShellData{Title: "Role not found"})
	default:
		base := baseURL(r)
		a.writeShell(w, r, http.StatusOK, web.ShellData{
			Title:       role.Title,
			Description: role.Tagline,
			OEmbedURL:   base + "/oembed?format=json&url=" + url.QueryEscape(base+"/roles/"+role.Slug),
		})
	}
}

// toolPage answers /tools/{slug} with the shell, 404 for an unknown tool.
func (a *app) toolPage(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	var tool *model.Tool
	var err error
	if model.ValidSlug(slug) {
		tool, err = a.reader().ToolBySlug(r.Context(), slug)
	}
	switch {
	case err != nil:
		a.logger.Warn("tool page: store not answering", "slug", slug, "error", err)
		a.writeShell(w, r, http.StatusServiceUnavailable, web.ShellData{Title: "Finder is not answering"})
	case tool == nil:
		a.writeShell(w, r, http.StatusNotFound, web.ShellData{Title: "Tool not found"})
	default:
		a.writeShell(w, r, http.StatusOK, web.ShellData{
			Title:       tool.Name,
			Description: "The roles in tech that use " + tool.Name + ".",
		})
	}
}

// writeShell answers with the client's HTML page. The page names versioned
// assets, so it is revalidated on every visit.
func (a *app) writeShell(w http.ResponseWriter, r *http.Request, status int, d web.ShellData) {
	var body bytes.Buffer
	if err := web.Shell(&body, d); err != nil {
		a.logger.Error("render the client's page", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", web.ClientCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(body.Bytes())
}

// --- Role cards ---------------------------------------------------------------

// roleCard answers /embed/roles/{slug} with a role card page for an iframe:
// no script, inline styles only, cacheable, and framable by any site.
func (a *app) roleCard(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	d := web.CardData{Theme: cardTheme(r.URL.Query().Get("theme")), HomeURL: base + "/"}
	status, cache := http.StatusOK, "public, max-age=300"

	role, err := a.roleBySlug(r.Context(), r.PathValue("slug"))
	var tools []model.Tool
	if err == nil && role != nil {
		tools, err = a.reader().ToolsByIDs(r.Context(), role.ToolIDs)
	}
	switch {
	case err != nil:
		a.logger.Warn("role card: store not answering", "slug", r.PathValue("slug"), "error", err)
		status, cache = http.StatusServiceUnavailable, "no-store"
		d.Heading, d.Message = "Finder is not answering", "Please try again in a moment."
	case role == nil:
		status, cache = http.StatusNotFound, "public, max-age=60"
		d.Heading, d.Message = "We could not find this role", "It may have been renamed or removed."
	default:
		d.Found = true
		d.Title, d.Tagline = role.Title, role.Tagline
		d.Skills = role.Skills[:min(cardSkills, len(role.Skills))]
		d.Tools = toolNames(role.ToolIDs, tools, cardTools)
		d.RoleURL = base + "/roles/" + role.Slug
	}

	var body bytes.Buffer
	if err := web.Card(&body, d); err != nil {
		a.logger.Error("render a role card", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", web.CardCSP())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", cache)
	if status != http.StatusOK {
		w.WriteHeader(status)
		_, _ = w.Write(body.Bytes())
		return
	}
	// The ETag is the body's hash; ServeContent answers a matching
	// If-None-Match with 304.
	h.Set("ETag", respcache.ETag(body.Bytes()))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body.Bytes()))
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
func (a *app) oembed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if f := q.Get("format"); f != "" && f != "json" {
		http.Error(w, "format: only json is supported", http.StatusNotImplemented)
		return
	}
	width, werr := maxSize(q.Get("maxwidth"), cardWidth)
	height, herr := maxSize(q.Get("maxheight"), cardHeight)
	if err := errors.Join(werr, herr); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	slug, ok := rolePageSlug(q.Get("url"), r.Host)
	if !ok {
		http.Error(w, "url: not the address of a role page on this Finder, such as "+baseURL(r)+"/roles/back-end-developer", http.StatusNotFound)
		return
	}
	role, err := a.roleBySlug(r.Context(), slug)
	if err != nil {
		a.logger.Warn("oembed: store not answering", "slug", slug, "error", err)
		http.Error(w, "Finder is not answering; please try again in a moment", http.StatusServiceUnavailable)
		return
	}
	if role == nil {
		http.Error(w, "url: no role has the slug "+strconv.Quote(slug), http.StatusNotFound)
		return
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
	_, _ = w.Write(body.Bytes())
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
func (a *app) roleBySlug(ctx context.Context, slug string) (*model.Role, error) {
	if !model.ValidSlug(slug) {
		return nil, nil
	}
	return a.reader().RoleBySlug(ctx, slug)
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
