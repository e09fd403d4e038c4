package model

import (
	"context"
	"sync"
)

// RequestFacts are what the GraphQL layer learns about a request that the
// HTTP layer around it needs: for the access log, the metrics, the rate
// limiter and the caches.
type RequestFacts struct {
	// Operation is the operation's name, or its type when it has none.
	Operation string
	// Cost is the query's cost, as the limits count it.
	Cost int
	// Outcome is "ok", "error", or the code that refused the request.
	Outcome string
	// Shareable reports whether the answer may be given to anyone who
	// sends the same request: a query, anonymous, without errors.
	Shareable bool
	// MaxAge is how long, in seconds, a shareable answer stays fresh.
	MaxAge int
	// Budget is the rate limit budget of the request's client, before this
	// request is charged; nil when rate limits are off.
	Budget *Budget
}

// Budget is a client's rate limit: points that refill over time, spent by
// the cost of each query.
type Budget struct {
	Capacity        int
	Available       int
	RefillPerSecond float64
}

// RequestInfo holds a request's facts while its layers fill them in. The
// HTTP layer puts an empty one in the context (WithRequestInfo).
type RequestInfo struct {
	mu    sync.Mutex
	facts RequestFacts
}

// Update changes the facts under the info's lock.
func (i *RequestInfo) Update(f func(*RequestFacts)) {
	i.mu.Lock()
	defer i.mu.Unlock()
	f(&i.facts)
}

// Get returns a copy of the facts.
func (i *RequestInfo) Get() RequestFacts {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.facts
}

type requestInfoKey struct{}

// WithRequestInfo returns ctx carrying a new, empty RequestInfo.
func WithRequestInfo(ctx context.Context) (context.Context, *RequestInfo) {
	info := &RequestInfo{}
	return context.WithValue(ctx, requestInfoKey{}, info), info
}

// RequestInfoFrom returns the request's info, or a throwaway one outside a
// request, so callers need not check.
func RequestInfoFrom(ctx context.Context) *RequestInfo {
	if i, ok := ctx.Value(requestInfoKey{}).(*RequestInfo); ok {
		return i
	}
	return &RequestInfo{}
}
