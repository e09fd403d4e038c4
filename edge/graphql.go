package edge

import (
	"net/http"
	"strconv"
	"strings"

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
	r.Body = http.MaxBytesReader(w, r.Body, e.cfg.MaxBodyBytes)
	view, seq, snapshot := e.catalog.View()
	// Only anonymous reads share answers: a keyed request may see more,
	// and its use is counted. An instance that lost the store answers
	// afresh, so that its answers say how old they are.
	var key []byte
	kept := e.cache != nil && snapshot && req.Viewer == nil
	if _, stale := e.staleness(); kept && !stale {
		key, kept = e.cache.Key(r)
	} else {
		kept = false
	}
	if kept {
		if hit := e.cache.Get(key, seq); hit != nil {
			return answer(w, r, req, hit.Result, hit.ETag, "hit")
		}
	}
	ctx := model.WithViewer(model.WithRequestID(r.Context(), req.ID), req.Viewer)
	res := e.gql.Execute(ctx, r, graph.Call{Reader: view, Budget: req.Budget})
	if !kept {
		return answer(w, r, req, res, "", "")
	}
	etag := ""
	if res.Status == http.StatusOK && res.MaxAge > 0 {
		etag = e.cache.Put(key, seq, res).ETag
	}
	return answer(w, r, req, res, etag, "miss")
}

// answer writes a GraphQL answer with its HTTP caching headers. An answer
// GraphQL found shareable, to a GET, gets "Cache-Control: public" with its
// max age and an ETag, and a client that already has it (If-None-Match)
// gets 304 and no body. Anything else, and every answer to a request with
// an API key, is "no-store": a CDN in front can serve role cards without
// reaching the server, and never someone's private answer.
func answer(w http.ResponseWriter, r *http.Request, req Request, res graph.Result, etag, cache string) Answer {
	h := w.Header()
	h.Set("Content-Type", res.ContentType)
	if res.Allow != "" {
		h.Set("Allow", res.Allow)
	}
	if cache != "" {
		h.Set("X-Cache", cache)
	}
	ans := Answer{Status: res.Status, Operation: res.Operation, Cost: res.Cost, Outcome: res.Outcome, Cache: cache}
	if r.Method != http.MethodGet || res.Status != http.StatusOK || res.MaxAge == 0 || req.Viewer != nil {
		h.Set("Cache-Control", "no-store")
		if r.Method == http.MethodGet {
			h.Add("Vary", "Accept")
		}
		ans.Bytes = write(w, res.Status, res.Body).Bytes
		return ans
	}
	h.Add("Vary", "Accept")
	if etag == "" {
		etag = respcache.ETag(res.Body)
	}
	h.Set("ETag", etag)
	age := strconv.Itoa(res.MaxAge)
	h.Set("Cache-Control", "public, max-age="+age+", stale-while-revalidate="+age)
	if matches(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Type")
		ans.Status = http.StatusNotModified
		w.WriteHeader(http.StatusNotModified)
		return ans
	}
	ans.Bytes = write(w, http.StatusOK, res.Body).Bytes
	return ans
}

// matches reports whether an If-None-Match header names the ETag.
func matches(ifNoneMatch, etag string) bool {
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}
