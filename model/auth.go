package model

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"time"
)

// Scope is what an API key may do.
type Scope string

// The scopes.
const (
	ScopeRead  Scope = "READ"  // partners: reads, counted per key
	ScopeWrite Scope = "WRITE" // editors: change the catalog, read its history
	ScopeAdmin Scope = "ADMIN" // administrators: manage API keys
)

// Scopes lists every Scope.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeAdmin}

// Valid reports whether s is one of Scopes.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// APIKey is a key as administrators see it: never its secret.
type APIKey struct {
	ID         string
	Name       string
	Prefix     string // the first characters of the secret, to tell keys apart
	Scopes     []Scope
	CreatedAt  time.Time
	CreatedBy  string
	RevokedAt  *time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	UsageCount int64
}

// Usable reports whether the key may authenticate at now: not revoked and
// not expired.
func (k *APIKey) Usable(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// Viewer is who sent a request: the API key it authenticated with.
type Viewer struct {
	KeyID  string
	Name   string
	Scopes []Scope
}

// Can reports whether the viewer's key has the scope.
func (v *Viewer) Can(s Scope) bool { return v != nil && slices.Contains(v.Scopes, s) }

type viewerKey struct{}

// WithViewer returns ctx carrying the request's viewer.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the request's viewer, or nil for a request without a key.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}

// Require returns nil if the request's key has the scope, UNAUTHENTICATED
// when there is no key, and FORBIDDEN when the key lacks the scope.
func Require(ctx context.Context, s Scope) error {
	v := ViewerFrom(ctx)
	switch {
	case v == nil:
		return Errorf(CodeUnauthenticated, "This needs an API key with the %s scope: send it as \"Authorization: Bearer <key>\".", s)
	case !v.Can(s):
		return Errorf(CodeForbidden, "The API key %q does not have the %s scope this needs.", v.Name, s)
	}
	return nil
}

// HashSecret is how API key and unsubscribe secrets are kept: only their
// SHA-256 is stored. The secrets are 192 random bits, so a fast hash is
// enough: there is nothing to guess.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewSecret returns a random secret with the given prefix, such as "fk_".
func NewSecret(prefix string) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// KeyInput is an API key an administrator asks for.
type KeyInput struct {
	Name      string
	Scopes    []Scope
	ExpiresAt *time.Time
}

// MaxKeyLifetime is how far ahead a key may expire.
const MaxKeyLifetime = 5 * 365 * 24 * time.Hour

// Validate checks the name and the scopes.
func (in KeyInput) Validate() error {
	var c checker
	c.text("name", in.Name, 1, MaxTitleLen)
	if len(in.Scopes) == 0 {
		c.fail("scopes", "must list at least one of %v", Scopes)
	}
	for i, s := range in.Scopes {
		if !s.Valid() || slices.Index(in.Scopes, s) != i {
			c.fail(fmt.Sprintf("scopes[%d]", i), "must be one of %v, each once", Scopes)
		}
	}
	if e := in.ExpiresAt; e != nil && (!e.After(time.Now()) || e.After(time.Now().Add(MaxKeyLifetime))) {
		c.fail("expiresAt", "must be in the future and within five years")
	}
	return c.err()
}

// NodeID is the key's global id.
func (k *APIKey) NodeID() string { return GlobalID(TypeAPIKey, k.ID) }
