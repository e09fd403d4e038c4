package main

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/respcache"
)

// httpCaching makes GET answers cacheable by browsers and CDNs: an answer
// the GraphQL layer found shareable gets "Cache-Control: public" with its
// max age and an ETag, and a client that already has it (If-None-Match)
// gets 304 and no body. Anything else, and every answer to a request with
// an API key, is "no-store": a CDN in front can serve role cards without
// reaching the server, and never someone's private answer.
func httpCaching(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r)
			return
		}
		buf := &bufferedResponse{header: w.Header(), status: http.StatusOK}
		next.ServeHTTP(buf, r)
		h := w.Header()
		h.Add("Vary", "Accept")
		facts := model.RequestInfoFrom(r.Context()).Get()
		if buf.status != http.StatusOK || !facts.Shareable || model.ViewerFrom(r.Context()) != nil {
			h.Del("ETag")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(buf.status)
			_, _ = w.Write(buf.body.Bytes())
			return
		}
		etag := h.Get("ETag") // the response cache's, when it kept the answer
		if etag == "" {
			etag = respcache.ETag(buf.body.Bytes())
			h.Set("ETag", etag)
		}
		age := strconv.Itoa(facts.MaxAge)
		h.Set("Cache-Control", "public, max-age="+age+", stale-while-revalidate="+age)
		if matches(r.Header.Get("If-None-Match"), etag) {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.body.Bytes())
	})
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

// bufferedResponse holds an answer until its headers can be decided.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
