package edge

import (
	"context"
	"net/http"
	"time"

	"github.com/finder-platform/finder/model"
)

// admit bounds how much the server takes on: it serves at most
// FINDER_MAX_CONCURRENT requests at once. A request that finds every place
// taken waits up to FINDER_QUEUE_TIMEOUT for one, then is refused with 503
// and Retry-After: under overload the server answers quickly instead of
// queueing without end.
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
	return e.dispatch(w, r, req)
}

// withDeadline gives a request that may wait on the store its deadline:
// FINDER_REQUEST_TIMEOUT after it arrived. The deadline reaches the store,
// whose commands stop with it. Only the work that may wait gets one (a
// query run, a key looked up, a page's catalog read): an answer from the
// response cache waits on nothing, and a deadline's timer is a good part of
// what such an answer costs.
func (e *Edge) withDeadline(r *http.Request, req Request) (*http.Request, context.CancelFunc) {
	ctx, cancel := context.WithDeadline(r.Context(), req.Start.Add(e.cfg.RequestTimeout))
	return r.WithContext(ctx), cancel
}

// timed is a route whose work may wait on the store: it runs within the
// request's deadline.
func (e *Edge) timed(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, req Request) Answer {
		r, cancel := e.withDeadline(r, req)
		defer cancel()
		return h(w, r, req)
	}
}
