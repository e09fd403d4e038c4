package edge

import (
	"net/http"
	"slices"
	"strings"

	"github.com/finder-platform/finder/model"
)

// cors lets partner pages call the API from the browser. Reads work from
// any origin; a request that carries an API key (an Authorization header)
// works only from an origin on FINDER_CORS_ORIGINS, so a key pasted into
// some page cannot be used from it. The server refuses such a request
// itself: it does not rely on the browser to drop the answer.
func (e *Edge) cors(next handler) handler {
	keyed := func(origin string) bool { return slices.Contains(e.cfg.CORSOrigins, origin) }
	return func(w http.ResponseWriter, r *http.Request, req Request) Answer {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return next(w, r, req)
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		wantsKey := r.Header.Get("Authorization") != "" ||
			strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Request-Headers")), "authorization")
		switch {
		case !wantsKey:
			h.Set("Access-Control-Allow-Origin", "*")
		case keyed(origin):
			h.Set("Access-Control-Allow-Origin", origin)
		case r.Method == http.MethodOptions:
			// A preflight for a keyed request from elsewhere: no CORS
			// headers, so the browser never sends it.
			return write(w, http.StatusNoContent, nil)
		default:
			return refuse(w, req, http.StatusForbidden, model.CodeForbidden,
				"API keys are accepted only from the origins the platform allows; this page's origin is not one of them.")
		}
		h.Set("Access-Control-Expose-Headers", "X-Request-Id, ETag, Retry-After, X-Cache, X-RateLimit-Limit, X-RateLimit-Remaining")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, X-Request-Id")
			h.Set("Access-Control-Max-Age", "86400")
			return write(w, http.StatusNoContent, nil)
		}
		return next(w, r, req)
	}
}
