package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

const relationsCollection = "relations"

// relationDoc is one link between two roles, kept once in its canonical
// direction (model.CanonicalRelation). Pair, unique, is the unordered pair
// of role ids: two roles are linked at most once, and a link is one document,
// so it is written or not, never half.
type relationDoc struct {
	ID        string    `bson:"_id"`
	FromID    string    `bson:"fromId"`
	ToID      string    `bson:"toId"`
	Pair      string    `bson:"pair"`
	Kind      string    `bson:"kind"`
	Note      string    `bson:"note"`
	CreatedAt time.Time `bson:"createdAt"`
	// LastChange is the id of the change that last wrote the document.
	LastChange string `bson:"lastChange,omitempty"`
}

func toRelationDoc(r *model.Relation, now time.Time) relationDoc {
	return relationDoc{ID: r.ID, FromID: r.FromID, ToID: r.ToID, Pair: model.PairKey(r.FromID, r.ToID),
		Kind: string(r.Kind), Note: r.Note, CreatedAt: now}
}

func (d relationDoc) model() model.Relation {
	return model.Relation{ID: d.ID, FromID: d.FromID, ToID: d.ToID, Kind: model.RelationKind(d.Kind), Note: d.Note}
}

// RelationsOf returns every relation with one of the roles at either end.
func (s *Store) RelationsOf(ctx context.Context, roleIDs []string) ([]model.Relation, error) {
	return findAll(ctx, s.relations, "find relations", relationsFilter(roleIDs), bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, relationDoc.model)
}

// loadRelations reads the relations of the roles, raw for an edit's undo.
func (s *Store) loadRelations(ctx context.Context, roleIDs []string) ([]loaded[relationDoc], error) {
	return loadAll[relationDoc](ctx, s.relations, "read relations", relationsFilter(roleIDs))
}

func relationsFilter(roleIDs []string) bson.D {
	return bson.D{{Key: "$or", Value: bson.A{in("fromId", roleIDs), in("toId", roleIDs)}}}
}
