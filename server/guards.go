package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/finder-platform/finder/model"
)

// The guards that keep one client, or a flood of them, from taking the
// server down: a cap on requests served at once, a deadline per request, a
// limit on body size, and a budget of query cost per client.

// overload serves at most n requests at once. A request that finds every
// place taken waits up to queue for one, then is refused with 503 and
// Retry-After: under overload the server answers quickly instead of
// queueing without end.
func overload(n int, queue time.Duration, next http.Handler) http.Handler {
	if n <= 0 {
		return next
	}
	places := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case places <- struct{}{}:
		default:
			t := time.NewTimer(queue)
			select {
			case places <- struct{}{}:
				t.Stop()
			case <-t.C:
				w.Header().Set("Retry-After", "1")
				model.RequestInfoFrom(r.Context()).Update(func(f *model.RequestFacts) { f.Outcome = string(model.CodeServiceUnavailable) })
				writeError(w, r, http.StatusServiceUnavailable, model.CodeServiceUnavailable,
					"The server is too busy to take this request now; please try again in a second.")
				return
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		defer func() { <-places }()
		next.ServeHTTP(w, r)
	})
}

// deadline gives every request at most d, store commands included: the
// context it carries ends, and every command sent with it stops.
func deadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// limitBody refuses bodies over n bytes; the GraphQL transport answers 413.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// rateLimit checks the client's budget before a request and charges the
// query's cost after it. Clients are API keys, and addresses for requests
// without one; keys get the larger budget.
func (a *app) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client, perMinute := "addr:"+a.clientAddr(r), a.cfg.RateAnonymous
		if v := model.ViewerFrom(r.Context()); v != nil {
			client, perMinute = "key:"+v.KeyID+":"+v.Name, a.cfg.RateKeyed
		}
		if perMinute <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		budget, wait := a.limiter.Check(client, perMinute)
		info := model.RequestInfoFrom(r.Context())
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(perMinute))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(budget.Available))
		if wait > 0 {
			secs := int(wait.Round(time.Second) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			info.Update(func(f *model.RequestFacts) { f.Outcome = string(model.CodeRateLimited) })
			writeError(w, r, http.StatusTooManyRequests, model.CodeRateLimited, fmt.Sprintf(
				"This client has used its budget of %d query points a minute; it refills continuously, so try again in %d seconds.", perMinute, secs))
			return
		}
		info.Update(func(f *model.RequestFacts) { f.Budget = &budget })
		next.ServeHTTP(w, r)
		a.limiter.Charge(client, perMinute, max(info.Get().Cost, 1))
	})
}

// clientAddr is the address a request came from: the connection's, or,
// behind FINDER_TRUSTED_PROXY_HOPS trusted proxies, the one they saw.
func (a *app) clientAddr(r *http.Request) string {
	if hops := a.cfg.TrustedProxyHops; hops > 0 {
		forwarded := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		if i := len(forwarded) - hops; i >= 0 && i < len(forwarded) {
			if addr := strings.TrimSpace(forwarded[i]); net.ParseIP(addr) != nil {
				return addr
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// guardKeys slows down guessing API keys: every request whose key is
// refused spends one of its address's FINDER_AUTH_FAILURES_PER_MINUTE, and
// an address that has spent them is refused with 429 before its key is
// even looked at, until they refill.
func (a *app) guardKeys(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" || a.cfg.AuthFailures <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		client := "auth-failures:" + a.clientAddr(r)
		if _, wait := a.limiter.Check(client, a.cfg.AuthFailures); wait > 0 {
			secs := int(wait.Round(time.Second) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			model.RequestInfoFrom(r.Context()).Update(func(f *model.RequestFacts) { f.Outcome = string(model.CodeRateLimited) })
			writeError(w, r, http.StatusTooManyRequests, model.CodeRateLimited, fmt.Sprintf(
				"Too many requests from this address were refused for their API key; try again in %d seconds.", secs))
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusUnauthorized {
			a.limiter.Charge(client, a.cfg.AuthFailures, 1)
		}
	})
}
