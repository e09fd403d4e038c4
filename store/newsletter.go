package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/finder-platform/finder/model"
)

// subscriberDoc is all the newsletter keeps of a person: the address, when
// they consented, and a hash of their unsubscribe token. Subscriptions are
// not journaled: an unsubscribed address must leave no trace.
type subscriberDoc struct {
	ID          string    `bson:"_id"`
	Email       string    `bson:"email"`
	ConsentedAt time.Time `bson:"consentedAt"`
	TokenHash   string    `bson:"tokenHash"`
}

func (d subscriberDoc) model() model.Subscription {
	return model.Subscription{ID: d.ID, Email: d.Email, SubscribedAt: d.ConsentedAt}
}

// Subscribe puts a normalized address on the list and returns its
// subscription with a new unsubscribe token. Subscribing an address again
// answers the same subscription, with a new token that replaces the old.
func (s *Store) Subscribe(ctx context.Context, email string) (*model.Subscription, string, error) {
	token := model.NewSecret("fu_")
	hash := model.HashSecret(token)
	for range 2 {
		var d subscriberDoc
		err := s.newsletter.FindOneAndUpdate(ctx, bson.D{{Key: "email", Value: email}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "tokenHash", Value: hash}}}}).Decode(&d)
		if err == nil {
			sub := d.model()
			return &sub, token, nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, "", wrap("subscribe", err)
		}
		d = subscriberDoc{ID: uuid.Must(uuid.NewV7()).String(), Email: email,
			ConsentedAt: time.Now().UTC().Truncate(time.Millisecond), TokenHash: hash}
		_, err = s.newsletter.InsertOne(ctx, d)
		if err == nil {
			sub := d.model()
			return &sub, token, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, "", wrap("subscribe", err)
		}
		// Another request subscribed the same address just now: update that one.
	}
	return nil, "", model.Errorf(model.CodeConflict, "The address is being subscribed by another request; try again.")
}

// Unsubscribe removes for good the address whose token this is, and
// reports whether there was one.
func (s *Store) Unsubscribe(ctx context.Context, token string) (bool, error) {
	res, err := s.newsletter.DeleteOne(ctx, bson.D{{Key: "tokenHash", Value: model.HashSecret(token)}})
	if err != nil {
		return false, wrap("unsubscribe", err)
	}
	return res.DeletedCount == 1, nil
}
