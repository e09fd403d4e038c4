package edge

import (
	"context"
	"net/http"
	"time"

	"github.com/finder-platform/finder/model"
)

// admit bounds what the server takes on: it serves at most
// FINDER_MAX_CONCURRENT requests at once, and each for at most
// FINDER_REQUEST_TIMEOUT. A request that finds every place taken waits up
// to FINDER_QUEUE_TIMEOUT for one, then is refused with 503 and
// Retry-After: under overload the server answers quickly instead of
// queueing without end. The deadline reaches the store: every command sent
// with the request's context stops with it.
func (e *Edge) admit(w http.ResponseWriter, r *http.Request, req Request) Answer {
	if e.places != nil {
		select {
		case e.places <- struct{}{}:
		default:
			t := time.NewTimer(e.cfg.QueueTimeout)
			select {
			case e.places <- struct{}{}:
				t.Stop()
			case <-t.C:
				w.Header().Set("Retry-After", "1")
				return refuse(w, req, http.StatusServiceUnavailable, model.CodeServiceUnavailable,
					"The server is too busy to take this request now; please try again in a second.")
			case <-r.Context().Done():
				t.Stop()
				return Answer{Status: 499, Outcome: "gone"} // nginx's "client closed request": nothing was sent
			}
		}
		defer func() { <-e.places }()
	}
	ctx, cancel := context.WithTimeout(r.Context(), e.cfg.RequestTimeout)
	defer cancel()
	return e.dispatch(w, r.WithContext(ctx), req)
}
