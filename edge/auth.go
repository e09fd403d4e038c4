package edge

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/finder-platform/finder/model"
)

// authenticate finds whose API key a request carries: it hands the layers
// inside the key's viewer, and tells observe the key's name. A request
// without an Authorization header reads as anyone; one with a malformed,
// unknown or revoked key is refused, whatever it asks.
//
// It also slows down guessing keys: every refused key spends one of its
// address's FINDER_AUTH_FAILURES_PER_MINUTE, and an address that has spent
// them is refused with 429 before its key is even looked at, until they
// refill.
func (e *Edge) authenticate(next handler) handler {
	return func(w http.ResponseWriter, r *http.Request, req Request) Answer {
		header := r.Header.Get("Authorization")
		if header == "" {
			return next(w, r, req)
		}
		guard := "auth-failures:" + req.Client
		if e.cfg.AuthFailures > 0 {
			if _, wait := e.limiter.Check(guard, e.cfg.AuthFailures); wait > 0 {
				return tooMany(w, req, wait, "Too many requests from this address were refused for their API key")
			}
		}
		viewer, err := e.keyViewer(r, req, header)
		switch {
		case model.ErrorCodeOf(err) == model.CodeUnauthenticated:
			if e.cfg.AuthFailures > 0 {
				e.limiter.Charge(guard, e.cfg.AuthFailures, 1)
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="finder"`)
			return refuse(w, req, http.StatusUnauthorized, model.CodeUnauthenticated, err.Error())
		case err != nil:
			e.logger.Warn("authenticate", "request_id", req.ID, "error", err)
			return refuse(w, req, http.StatusServiceUnavailable, model.CodeServiceUnavailable,
				"API keys cannot be checked right now because the catalog's database is not answering; please try again in a few seconds.")
		}
		req.Viewer = viewer
		ans := next(w, r, req)
		ans.Key = viewer.Name
		return ans
	}
}

// keyViewer checks the header's key within the request's deadline: looking
// it up may wait on the store.
func (e *Edge) keyViewer(r *http.Request, req Request, header string) (*model.Viewer, error) {
	r, cancel := e.withDeadline(r, req)
	defer cancel()
	return e.auth.viewer(r.Context(), header)
}

// authenticator checks API keys and counts their use.
type authenticator struct {
	keys      Keys
	adminHash string // hash of FINDER_ADMIN_TOKEN; empty when unset
	logger    *slog.Logger

	mu    sync.Mutex
	usage map[string]int64 // requests per key id since the last flush
}

// bootstrapAdmin is the viewer of FINDER_ADMIN_TOKEN: every scope.
var bootstrapAdmin = &model.Viewer{Name: "bootstrap admin", Scopes: model.Scopes}

func newAuthenticator(keys Keys, adminToken string, logger *slog.Logger) *authenticator {
	a := &authenticator{keys: keys, logger: logger, usage: map[string]int64{}}
	if adminToken != "" {
		a.adminHash = model.HashSecret(adminToken)
	}
	return a
}

// viewer checks the header's key. The secret is compared by its hash: the
// store finds the key by hash, and the bootstrap key's hash is compared in
// constant time, so timing tells an attacker nothing about either.
func (a *authenticator) viewer(ctx context.Context, header string) (*model.Viewer, error) {
	scheme, secret, _ := strings.Cut(header, " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" || len(secret) > 200 {
		return nil, model.Errorf(model.CodeUnauthenticated, "The Authorization header must be \"Bearer <API key>\".")
	}
	hash := model.HashSecret(secret)
	if a.adminHash != "" && subtle.ConstantTimeCompare([]byte(hash), []byte(a.adminHash)) == 1 {
		return bootstrapAdmin, nil
	}
	key, err := a.keys.KeyByHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	if key == nil || !key.Usable(time.Now()) {
		return nil, model.Errorf(model.CodeUnauthenticated, "The API key is not valid: it is unknown, revoked or expired.")
	}
	a.mu.Lock()
	a.usage[key.ID]++
	a.mu.Unlock()
	return &model.Viewer{KeyID: key.ID, Name: key.Name, Scopes: key.Scopes}, nil
}

// flushUsage writes the counts gathered since the last flush. Counting in
// memory keeps a write off every authenticated request; a crash loses at
// most one interval's counts.
func (a *authenticator) flushUsage(ctx context.Context) {
	a.mu.Lock()
	counts := a.usage
	a.usage = map[string]int64{}
	a.mu.Unlock()
	if len(counts) == 0 {
		return
	}
	if err := a.keys.RecordUsage(ctx, counts, time.Now().UTC()); err != nil {
		a.logger.Warn("record API key usage", "error", err)
		a.mu.Lock()
		for id, n := range counts {
			a.usage[id] += n
		}
		a.mu.Unlock()
	}
}
