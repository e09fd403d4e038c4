package edge

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/finder-platform/finder/model"
)

// rateLimit checks the client's budget before a request and charges the
// query's cost after it. Clients are API keys, and addresses for requests
// without one; keys get the larger budget. The budget goes to the layers
// inside, for a keyed answer's extensions.cost.
func (e *Edge) rateLimit(next handler) handler {
	return func(w http.ResponseWriter, r *http.Request, req Request) Answer {
		client, perMinute := "addr:"+req.Client, e.cfg.RateAnonymous
		if v := req.Viewer; v != nil {
			client, perMinute = "key:"+v.KeyID+":"+v.Name, e.cfg.RateKeyed
		}
		if perMinute <= 0 {
			return next(w, r, req)
		}
		budget, wait := e.limiter.Check(client, perMinute)
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(perMinute))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(budget.Available))
		if wait > 0 {
			return tooMany(w, req, wait, fmt.Sprintf(
				"This client has used its budget of %d query points a minute, which refills continuously", perMinute))
		}
		req.Budget = &budget
		ans := next(w, r, req)
		e.limiter.Charge(client, perMinute, max(ans.Cost, 1))
		return ans
	}
}

// tooMany refuses a request with 429 RATE_LIMITED: why, then when to try
// again, in the message and in Retry-After.
func tooMany(w http.ResponseWriter, req Request, wait time.Duration, why string) Answer {
	secs := int(wait.Round(time.Second) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return refuse(w, req, http.StatusTooManyRequests, model.CodeRateLimited,
		fmt.Sprintf("%s; try again in %d seconds.", why, secs))
}
