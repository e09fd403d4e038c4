package store

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/finder-platform/finder/model"
)

// batchSize is large enough that a loader's batch comes back in one reply
// (with the driver's default of 101, a batch of many ids would need getMore
// commands, and the number of commands would grow with the list), and
// small enough that a reply stays under the wire protocol's 48 MB limit,
// which FerretDB, unlike MongoDB, does not keep to by itself.
const batchSize = 1_000

func byIDs(ids []string) bson.D { return in("_id", ids) }

func in[T any](field string, values []T) bson.D {
	if values == nil {
		values = []T{}
	}
	return bson.D{{Key: field, Value: bson.D{{Key: "$in", Value: values}}}}
}

func and(conds bson.A) bson.D {
	switch len(conds) {
	case 0:
		return bson.D{}
	case 1:
		return conds[0].(bson.D)
	}
	return bson.D{{Key: "$and", Value: conds}}
}

// findOne returns the one document matching filter as a model value, or nil.
func findOne[D, T any](ctx context.Context, c *mongo.Collection, op string, filter bson.D, conv func(D) T) (*T, error) {
	var d D
	err := c.FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	t := conv(d)
	return &t, nil
}

// findAll returns every document matching filter, in sort order.
func findAll[D, T any](ctx context.Context, c *mongo.Collection, op string, filter, sort bson.D, conv func(D) T) ([]T, error) {
	opts := options.Find().SetBatchSize(batchSize)
	if sort != nil {
		opts.SetSort(sort)
	}
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, wrap(op, err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap(op, err)
	}
	out := make([]T, len(docs))
	for i, d := range docs {
		out[i] = conv(d)
	}
	return out, nil
}

// sortKey is the order of a paginated list: a field, its value in a
// cursor, and the direction. Ties are broken by _id in the same direction.
type sortKey[D any] struct {
	field  string
	isTime bool
	desc   bool
	cursor func(D) model.Cursor
	// omit names fields of the documents the list does not need.
	omit []string
}

// after returns the condition for the entries that follow the cursor.
func (s sortKey[D]) after(c *model.Cursor) (bson.D, error) {
	var value any = c.Key
	if s.isTime {
		t, err := model.ParseTimeKey(c.Key)
		if err != nil {
			return nil, err
		}
		value = t
	}
	op := "$gt"
	if s.desc {
		op = "$lt"
	}
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: s.field, Value: bson.D{{Key: op, Value: value}}}},
		bson.D{{Key: s.field, Value: value}, {Key: "_id", Value: bson.D{{Key: op, Value: c.ID}}}},
	}}}, nil
}

func (s sortKey[D]) sort() bson.D {
	dir := 1
	if s.desc {
		dir = -1
	}
	return bson.D{{Key: s.field, Value: dir}, {Key: "_id", Value: dir}}
}

// list returns one page of the documents matching every condition: first+1
// are read to learn whether another page follows, and the total is counted
// only if asked for.
func list[D, T any](ctx context.Context, c *mongo.Collection, op string, conds bson.A, s sortKey[D], p model.PageRequest, conv func(D) T) (model.Page[T], error) {
	filter := and(conds)
	page := model.Page[T]{Total: func(ctx context.Context) (int, error) {
		n, err := c.CountDocuments(ctx, filter)
		return int(n), wrap(op+": count", err)
	}}
	if p.After != nil {
		cond, err := s.after(p.After)
		if err != nil {
			return page, err
		}
		conds = append(conds[:len(conds):len(conds)], cond)
	}
	// One reply for an API page; a bigger page (the insights ask for every
	// match at once) comes in replies of batchSize.
	opts := options.Find().SetSort(s.sort()).SetLimit(int64(p.First + 1)).SetBatchSize(int32(min(p.First+1, batchSize)))
	if len(s.omit) > 0 {
		proj := bson.D{}
		for _, f := range s.omit {
			proj = append(proj, bson.E{Key: f, Value: 0})
		}
		opts.SetProjection(proj)
	}
	cur, err := c.Find(ctx, and(conds), opts)
	if err != nil {
		return page, wrap(op, err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return page, wrap(op, err)
	}
	if len(docs) > p.First {
		page.HasNext = true
		docs = docs[:p.First]
	}
	for _, d := range docs {
		page.Items = append(page.Items, conv(d))
		page.Cursors = append(page.Cursors, s.cursor(d))
	}
	return page, nil
}

// searchTerms writes a search key's terms as one string with a space before
// each term, so a term prefix is matched by a regular expression anchored
// on the space.
func searchTerms(k model.SearchKey) string {
	return " " + strings.Join(k.Terms(), " ")
}

// textCond finds the entries a query may match, as model.Query.Rank would
// match their title and text: every query word starts a term, or the whole
// query squashed does. The words are escaped: user text is never a pattern.
// An empty query matches nothing.
func textCond(q model.Query) bson.D {
	if q.Empty() {
		return bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{}}}}}
	}
	prefix := func(w string) bson.D {
		return bson.D{{Key: "searchTerms", Value: bson.D{{Key: "$regex", Value: " " + regexp.QuoteMeta(w)}}}}
	}
	words := bson.A{}
	for _, w := range q.Words() {
		words = append(words, prefix(w))
	}
	return bson.D{{Key: "$or", Value: bson.A{prefix(q.Squashed()), bson.D{{Key: "$and", Value: words}}}}}
}

// findSorted is a find in the given order, at most limit documents, in one reply.
func findSorted(sort bson.D, limit int) *options.FindOptionsBuilder {
	return options.Find().SetSort(sort).SetLimit(int64(limit)).SetBatchSize(int32(limit))
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }
