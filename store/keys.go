package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

// keyPrefix starts every API key secret, so a leaked one is recognisable.
const keyPrefix = "fk_"

// keyDoc is an API key as the apikeys collection keeps it: the secret
// itself is never stored, only its hash.
type keyDoc struct {
	ID         string     `bson:"_id"`
	Name       string     `bson:"name"`
	Prefix     string     `bson:"prefix"`
	Hash       string     `bson:"hash"`
	Scopes     []string   `bson:"scopes"`
	CreatedAt  time.Time  `bson:"createdAt"`
	CreatedBy  string     `bson:"createdBy"`
	RevokedAt  *time.Time `bson:"revokedAt"`
	ExpiresAt  *time.Time `bson:"expiresAt"`
	LastUsedAt *time.Time `bson:"lastUsedAt"`
	UsageCount int64      `bson:"usageCount"`
	Version    int        `bson:"version"`
	LastChange string     `bson:"lastChange,omitempty"`
}

func (d keyDoc) model() model.APIKey {
	k := model.APIKey{ID: d.ID, Name: d.Name, Prefix: d.Prefix, CreatedAt: d.CreatedAt, CreatedBy: d.CreatedBy,
		RevokedAt: d.RevokedAt, ExpiresAt: d.ExpiresAt, LastUsedAt: d.LastUsedAt, UsageCount: d.UsageCount}
	for _, s := range d.Scopes {
		k.Scopes = append(k.Scopes, model.Scope(s))
	}
	return k
}

func keyFields(d keyDoc) map[string]any {
	f := map[string]any{"name": d.Name, "prefix": d.Prefix, "scopes": d.Scopes, "revokedAt": nil}
	if d.RevokedAt != nil {
		f["revokedAt"] = d.RevokedAt.Format(time.RFC3339)
	}
	return f
}

var keyHistoryFields = []string{"name", "prefix", "scopes", "revokedAt"}

// CreateKey makes an API key and returns it with its secret, which is
// shown this once and never stored.
func (s *Store) CreateKey(ctx context.Context, in model.KeyInput) (*model.APIKey, string, error) {
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	secret := model.NewSecret(keyPrefix)
	e := s.newEdit("createApiKey")
	creator := "anonymous"
	if v := model.ViewerFrom(ctx); v != nil {
		creator = v.Name
	}
	d := keyDoc{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Name, Prefix: secret[:len(keyPrefix)+6],
		Hash: model.HashSecret(secret), CreatedAt: e.at, CreatedBy: creator, Version: 1, LastChange: e.id}
	if in.ExpiresAt != nil {
		at := in.ExpiresAt.UTC().Truncate(time.Millisecond)
		d.ExpiresAt = &at
	}
	for _, sc := range in.Scopes {
		d.Scopes = append(d.Scopes, string(sc))
	}
	e.add(write{coll: s.keys, id: d.ID, insert: d, conflict: "A key with this secret exists; try again."},
		entryDocFor(model.TypeAPIKey, d.ID, d.Name, model.ActionCreated, 1, keyHistoryFields, nil, keyFields(d)))
	if _, err := s.apply(ctx, e); err != nil {
		return nil, "", err
	}
	k := d.model()
	return &k, secret, nil
}

// ListKeys returns one page of the API keys, newest first.
func (s *Store) ListKeys(ctx context.Context, p model.PageRequest) (model.Page[model.APIKey], error) {
	sort := sortKey[keyDoc]{field: "createdAt", isTime: true, desc: true, cursor: func(d keyDoc) model.Cursor {
		return model.Cursor{Key: model.TimeKey(d.CreatedAt), ID: d.ID}
	}}
	return list(ctx, s.keys, "list keys", nil, sort, p, keyDoc.model)
}

// RevokeKey revokes an API key; it stops working at once. Revoking a
// revoked key changes nothing.
func (s *Store) RevokeKey(ctx context.Context, id string) (*model.APIKey, error) {
	cur, ok, err := load[keyDoc](ctx, s.keys, "read key", byID(id))
	if err != nil || !ok {
		return nil, errors.Join(err, notFoundIf(!ok, model.TypeAPIKey, id))
	}
	if cur.doc.RevokedAt != nil {
		k := cur.doc.model()
		return &k, nil
	}
	e := s.newEdit("revokeApiKey")
	next := cur.doc
	next.RevokedAt, next.Version, next.LastChange = &e.at, next.Version+1, e.id
	e.add(write{coll: s.keys, id: id, replace: next, version: cur.doc.Version, before: cur.raw,
		conflict: "The key changed while it was being revoked; try again."},
		entryDocFor(model.TypeAPIKey, id, next.Name, model.ActionUpdated, next.Version, keyHistoryFields, keyFields(cur.doc), keyFields(next)))
	if _, err := s.apply(ctx, e); err != nil {
		return nil, err
	}
	k := next.model()
	return &k, nil
}

// KeyByHash returns the key whose secret has this hash, or nil.
func (s *Store) KeyByHash(ctx context.Context, hash string) (*model.APIKey, error) {
	return findOne(ctx, s.keys, "find key", bson.D{{Key: "hash", Value: hash}}, keyDoc.model)
}

// RecordUsage adds counts of requests to keys, with when they were last
// used. It is bookkeeping, not an edit: no version, no history.
func (s *Store) RecordUsage(ctx context.Context, counts map[string]int64, at time.Time) error {
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		_, err := s.keys.UpdateOne(ctx, byID(id), bson.D{
			{Key: "$inc", Value: bson.D{{Key: "usageCount", Value: counts[id]}}},
			{Key: "$set", Value: bson.D{{Key: "lastUsedAt", Value: at}}}})
		if err != nil {
			return wrap("record key usage", err)
		}
	}
	return nil
}
