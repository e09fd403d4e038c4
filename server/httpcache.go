package main

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"

	"github.com/finder-platform/finder/model"
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
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(buf.status)
			_, _ = w.Write(buf.body.Bytes())
			return
		}
		sum := fnv.New64a()
		sum.Write(buf.body.Bytes())
		etag := fmt.Sprintf(`"%x"`, sum.Sum64())
		h.Set("ETag", etag)
		h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d", facts.MaxAge, facts.MaxAge))
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
