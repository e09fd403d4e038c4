package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func asc(fields ...string) bson.D {
	d := bson.D{}
	for _, f := range fields {
		d = append(d, bson.E{Key: f, Value: 1})
	}
	return d
}

func unique(fields ...string) mongo.IndexModel {
	return mongo.IndexModel{Keys: asc(fields...), Options: options.Index().SetUnique(true)}
}

func plain(fields ...string) mongo.IndexModel {
	return mongo.IndexModel{Keys: asc(fields...)}
}

// EnsureIndexes creates the indexes every query relies on; creating an
// index that exists changes nothing, so it runs at every start.
//
// One index per command: FerretDB v1.24 panics on a createIndexes that lists
// two or more indexes that already exist (validateIndexesForCreation deletes
// from a shrinking slice by the original position), which is every restart.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	for _, ci := range []struct {
		c       *mongo.Collection
		indexes []mongo.IndexModel
	}{
		// Slugs and pairs are unique in the catalog, but not by a unique
		// index here: the editor checks them against the log, and a
		// projection replayed after a crash may pass through states a
		// unique index would refuse (docs/ARCHITECTURE.md).
		{s.roles, []mongo.IndexModel{plain("slug"), plain("titleKey", "_id"), plain("updatedAt", "_id"),
			plain("family"), plain("toolIds"), plain("resourceIds"), plain("occupationCodes")}},
		{s.tools, []mongo.IndexModel{plain("slug"), plain("nameKey", "_id"), plain("category")}},
		{s.resources, []mongo.IndexModel{plain("slug"), plain("titleKey", "_id"), plain("kind")}},
		{s.relations, []mongo.IndexModel{plain("pair"), plain("fromId"), plain("toId")}},
		{s.changelog, []mongo.IndexModel{plain("entityIds", "seq")}},
		{s.keys, []mongo.IndexModel{unique("hash")}},
		{s.newsletter, []mongo.IndexModel{unique("email"), unique("tokenHash")}},
	} {
		for _, index := range ci.indexes {
			if _, err := ci.c.Indexes().CreateOne(ctx, index); err != nil {
				return wrap("create indexes on "+ci.c.Name(), err)
			}
		}
	}
	return nil
}
