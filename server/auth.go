package main

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

// keyFinder finds API keys by the hash of their secret, and counts their use.
type keyFinder interface {
	KeyByHash(ctx context.Context, hash string) (*model.APIKey, error)
	RecordUsage(ctx context.Context, counts map[string]int64, at time.Time) error
}

// authenticator turns a request's "Authorization: Bearer <key>" into the
// request's viewer. A request without the header reads as anyone; one with
// a malformed, unknown or revoked key is refused, whatever it asks.
type authenticator struct {
	keys      keyFinder
	adminHash string // hash of FINDER_ADMIN_TOKEN; empty when unset
	logger    *slog.Logger

	mu    sync.Mutex
	usage map[string]int64 // requests per key id since the last flush
}

// bootstrapAdmin is the viewer of FINDER_ADMIN_TOKEN: every scope.
var bootstrapAdmin = &model.Viewer{Name: "bootstrap admin", Scopes: model.Scopes}

func newAuthenticator(keys keyFinder, adminToken string, logger *slog.Logger) *authenticator {
	a := &authenticator{keys: keys, logger: logger, usage: map[string]int64{}}
	if adminToken != "" {
		a.adminHash = model.HashSecret(adminToken)
	}
	return a
}

func (a *authenticator) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		viewer, err := a.viewer(r.Context(), header)
		if err != nil {
			if model.ErrorCodeOf(err) == model.CodeUnauthenticated {
				w.Header().Set("WWW-Authenticate", `Bearer realm="finder"`)
				writeError(w, r, http.StatusUnauthorized, model.CodeUnauthenticated, err.Error())
				return
			}
			a.logger.Warn("authenticate", "request_id", model.RequestID(r.Context()), "error", err)
			writeError(w, r, http.StatusServiceUnavailable, model.CodeServiceUnavailable,
				"API keys cannot be checked right now because the catalog's database is not answering; please try again in a few seconds.")
			return
		}
		next.ServeHTTP(w, r.WithContext(model.WithViewer(r.Context(), viewer)))
	})
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
