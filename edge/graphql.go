package edge

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/finder-platform/finder/graph"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/respcache"
)

// graphql answers the API. The request reads one view of the catalog,
// taken now. An anonymous request's answer may come from the response
// cache, kept under the view's number; otherwise GraphQL runs. The answer
// is one buffer (graph.Result.Body), written once, and kept by the cache
// as it is.
func (e *Edge) graphql(w http.ResponseWriter, r *http.Request, req Request) Answer {
	if !e.health.Ready() {
		w.Header().Set("Retry-After", "2")
		return refuse(w, req, http.StatusServiceUnavailable, model.CodeServiceUnavailable,
			"The server is starting or stopping and cannot answer yet; please try again in a few seconds.")
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		return write(w, http.StatusNoContent, nil)
	}
	view, seq, snapshot := e.catalog.View()
	// Only anonymous reads share answers: a keyed request may see more,
	// and its use is counted. An instance that lost the store answers
	// afresh, so that its answers say how old they are.
	_, stale := e.staleness()
	var key []byte
	kept := e.cache != nil && snapshot && req.Viewer == nil && !stale
	if kept {
		key, kept = e.cache.Key(r)
	}
	if kept {
		if hit := e.cache.Get(key, seq); hit != nil {
			return answer(w, r, req, hit.Result, hit, "hit")
		}
	}
	// The body's limit is checked only now: a kept answer's request was
	// within it when it ran (a refused one is never kept), and the cache
	// reads no more of a body than its own bound.
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, e.cfg.MaxBodyBytes)
	}
	r, cancel := e.withDeadline(r, req)
	defer cancel()
	ctx := model.WithViewer(model.WithRequestID(r.Context(), req.ID), req.Viewer)
	res := e.gql.Execute(ctx, r, graph.Call{Reader: view, Budget: req.Budget})
	if !kept {
		return answer(w, r, req, res, nil, "")
	}
	var entry *respcache.Entry
	if res.Status == http.StatusOK && res.MaxAge > 0 {
		entry = e.cache.Put(key, seq, res)
	}
	return answer(w, r, req, res, entry, "miss")
}

// answer writes a GraphQL answer with its HTTP caching headers. An answer
// GraphQL found shareable, to a GET, gets "Cache-Control: public" with its
// max age and an ETag, and a client that already has it (If-None-Match)
// gets 304 and no body. Anything else, and every answer to a request with
// an API key, is "no-store": a CDN in front can serve role cards without
// reaching the server, and never someone's private answer. kept is the
// answer's entry in the response cache, if it has one.
func answer(w http.ResponseWriter, r *http.Request, req Request, res graph.Result, kept *respcache.Entry, cache string) Answer {
	h := w.Header()
	h["Content-Type"] = shared(res.ContentType)
	if res.Allow != "" {
		h["Allow"] = shared(res.Allow)
	}
	switch cache {
	case "hit":
		h["X-Cache"] = cacheHit
	case "miss":
		h["X-Cache"] = cacheMiss
	}
	if kept != nil {
		h["Content-Length"] = kept.LengthHeader
	}
	ans := Answer{Status: res.Status, Operation: res.Operation, Cost: res.Cost, Outcome: res.Outcome, Cache: cache}
	if r.Method != http.MethodGet || res.Status != http.StatusOK || res.MaxAge == 0 || req.Viewer != nil {
		h["Cache-Control"] = noStore
		if r.Method == http.MethodGet {
			h["Vary"] = varyAccept
		}
		ans.Bytes = write(w, res.Status, res.Body).Bytes
		return ans
	}
	h["Vary"] = varyAccept
	if kept == nil {
		tag := respcache.ETag(res.Body)
		kept = &respcache.Entry{ETag: tag, ETagHeader: []string{tag}}
	}
	h["Etag"] = kept.ETagHeader
	h["Cache-Control"] = cacheControl(res.MaxAge)
	if matches(r.Header.Get("If-None-Match"), kept.ETag) {
		delete(h, "Content-Type")
		delete(h, "Content-Length")
		ans.Status = http.StatusNotModified
		w.WriteHeader(http.StatusNotModified)
		return ans
	}
	ans.Bytes = write(w, http.StatusOK, res.Body).Bytes
	return ans
}

// cacheControl is the Cache-Control of a shareable answer that stays fresh
// for maxAge seconds.
func cacheControl(maxAge int) []string {
	if vs, ok := cacheControls.Load(maxAge); ok {
		return vs.([]string)
	}
	age := strconv.Itoa(maxAge)
	vs, _ := cacheControls.LoadOrStore(maxAge, []string{"public, max-age=" + age + ", stale-while-revalidate=" + age})
	return vs.([]string)
}

var cacheControls sync.Map // max age -> its Cache-Control

// matches reports whether an If-None-Match header names the ETag.
func matches(ifNoneMatch, etag string) bool {
	for rest := ifNoneMatch; rest != ""; {
		var tag string
		tag, rest, _ = strings.Cut(rest, ",")
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}
