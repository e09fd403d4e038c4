package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

const relationsCollection = "relations"

// relationDoc is one link between two roles, kept once in its canonical
// direction (model.CanonicalRelation). Pair is the unordered pair of role
// ids: two roles are linked at most once (the editor sees to it).
type relationDoc struct {
	ID        string    `bson:"_id"`
	FromID    string    `bson:"fromId"`
	ToID      string    `bson:"toId"`
	Pair      string    `bson:"pair"`
	Kind      string    `bson:"kind"`
	Note      string    `bson:"note"`
	CreatedAt time.Time `bson:"createdAt"`
	// Seq is the number of the change that last wrote the document (0 when
	// it was seeded), so that a reader with mongosh can find it in the log.
	Seq int64 `bson:"seq"`
}

func toRelationDoc(r *model.Relation) relationDoc {
	return relationDoc{ID: r.ID, FromID: r.FromID, ToID: r.ToID, Pair: model.PairKey(r.FromID, r.ToID),
		Kind: string(r.Kind), Note: r.Note, CreatedAt: r.CreatedAt}
}

func (d relationDoc) model() model.Relation {
	return model.Relation{ID: d.ID, FromID: d.FromID, ToID: d.ToID, Kind: model.RelationKind(d.Kind), Note: d.Note, CreatedAt: d.CreatedAt}
}

// RelationsOf returns every relation with one of the roles at either end.
func (s *Store) RelationsOf(ctx context.Context, roleIDs []string) ([]model.Relation, error) {
	return findAll(ctx, s.relations, "find relations", relationsFilter(roleIDs), bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, relationDoc.model)
}

func relationsFilter(roleIDs []string) bson.D {
	return bson.D{{Key: "$or", Value: bson.A{in("fromId", roleIDs), in("toId", roleIDs)}}}
}
