package store

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/finder-platform/finder/model"
)

// keyPrefix starts every API key secret, so a leaked one is recognisable.
const keyPrefix = "fk_"

// keyDoc is an API key as the apikeys collection keeps it: the secret
// itself is never stored, only its hash. Keys are not part of the catalog
// and not in its change log (which anyone may follow): each key is one
// document written directly, and its history (made, revoked) is read from
// it.
type keyDoc struct {
	ID         string     `bson:"_id"`
	Name       string     `bson:"name"`
	Prefix     string     `bson:"prefix"`
	Hash       string     `bson:"hash"`
	Scopes     []string   `bson:"scopes"`
	CreatedAt  time.Time  `bson:"createdAt"`
	CreatedBy  string     `bson:"createdBy"`
	RevokedAt  *time.Time `bson:"revokedAt"`
	RevokedBy  string     `bson:"revokedBy,omitempty"`
	ExpiresAt  *time.Time `bson:"expiresAt"`
	LastUsedAt *time.Time `bson:"lastUsedAt"`
	UsageCount int64      `bson:"usageCount"`
	Version    int        `bson:"version"`
}

func (d keyDoc) model() model.APIKey {
	k := model.APIKey{ID: d.ID, Name: d.Name, Prefix: d.Prefix, CreatedAt: d.CreatedAt, CreatedBy: d.CreatedBy,
		RevokedAt: d.RevokedAt, ExpiresAt: d.ExpiresAt, LastUsedAt: d.LastUsedAt, UsageCount: d.UsageCount}
	for _, s := range d.Scopes {
		k.Scopes = append(k.Scopes, model.Scope(s))
	}
	return k
}

// actorName is the name of the key that sent the request.
func actorName(ctx context.Context) string {
	if v := model.ViewerFrom(ctx); v != nil {
		return v.Name
	}
	return "anonymous"
}

// CreateKey makes an API key and returns it with its secret, which is
// shown this once and never stored.
func (s *Store) CreateKey(ctx context.Context, in model.KeyInput) (*model.APIKey, string, error) {
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	secret := model.NewSecret(keyPrefix)
	d := keyDoc{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Name, Prefix: secret[:len(keyPrefix)+6],
		Hash: model.HashSecret(secret), CreatedAt: time.Now().UTC().Truncate(time.Millisecond), CreatedBy: actorName(ctx), Version: 1}
	if in.ExpiresAt != nil {
		at := in.ExpiresAt.UTC().Truncate(time.Millisecond)
		d.ExpiresAt = &at
	}
	for _, sc := range in.Scopes {
		d.Scopes = append(d.Scopes, string(sc))
	}
	if _, err := s.keys.InsertOne(ctx, d); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return nil, "", model.Errorf(model.CodeConflict, "A key with this secret exists; try again.")
		}
		return nil, "", wrap("create key", err)
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

// RevokeKey revokes an API key; it stops working at once, on every
// instance, since keys are checked against the store on every request.
// Revoking a revoked key changes nothing.
func (s *Store) RevokeKey(ctx context.Context, id string) (*model.APIKey, error) {
	at := time.Now().UTC().Truncate(time.Millisecond)
	// One update of one document, atomic on both servers: of two revokers,
	// one sets the time and the other finds the key revoked.
	_, err := s.keys.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revokedAt", Value: nil}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: at}, {Key: "revokedBy", Value: actorName(ctx)}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}})
	if err != nil {
		return nil, wrap("revoke key", err)
	}
	k, err := findOne(ctx, s.keys, "read key", byID(id), keyDoc.model)
	if err == nil && k == nil {
		err = model.NotFoundError(model.TypeAPIKey, id)
	}
	return k, err
}

// KeyHistory is the history of an API key, newest first: when it was
// made, and when it was revoked.
func (s *Store) KeyHistory(ctx context.Context, id string, p model.PageRequest) (model.Page[model.HistoryEntry], error) {
	d, err := findOne(ctx, s.keys, "read key", byID(id), func(d keyDoc) keyDoc { return d })
	if err != nil || d == nil {
		return model.Page[model.HistoryEntry]{Total: func(context.Context) (int, error) { return 0, nil }}, err
	}
	made := model.ChangeEntry{Type: model.TypeAPIKey, ID: d.ID, Slug: d.Name, Action: model.ActionCreated, Version: 1,
		Fields: []model.FieldChange{{Field: "name", After: d.Name}, {Field: "prefix", After: d.Prefix}, {Field: "scopes", After: d.Scopes}}}
	all := []model.HistoryEntry{{Change: model.Change{ID: d.ID + "-created", At: d.CreatedAt, Actor: d.CreatedBy,
		Operation: "createApiKey", Entries: []model.ChangeEntry{made}}, Entry: made}}
	if d.RevokedAt != nil {
		revoked := model.ChangeEntry{Type: model.TypeAPIKey, ID: d.ID, Slug: d.Name, Action: model.ActionUpdated, Version: d.Version,
			Fields: []model.FieldChange{{Field: "revokedAt", After: d.RevokedAt.Format(time.RFC3339)}}}
		all = append([]model.HistoryEntry{{Change: model.Change{ID: d.ID + "-revoked", At: *d.RevokedAt, Actor: d.RevokedBy,
			Operation: "revokeApiKey", Entries: []model.ChangeEntry{revoked}}, Entry: revoked}}, all...)
	}
	page := model.Page[model.HistoryEntry]{Total: func(context.Context) (int, error) { return len(all), nil }}
	for i, h := range all {
		c := model.Cursor{Key: h.Change.ID, ID: d.ID}
		if p.After != nil {
			if *p.After == c {
				p.After = nil
			}
			continue
		}
		if len(page.Items) == p.First {
			page.HasNext = true
			break
		}
		page.Items = append(page.Items, all[i])
		page.Cursors = append(page.Cursors, c)
	}
	return page, nil
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
