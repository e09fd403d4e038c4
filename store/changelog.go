package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/finder-platform/finder/model"
)

// The change log (the changelog collection) is the catalog's unit of
// commit: every edit is one document, inserted with the next number of the
// catalog's sequence as its _id, and that insert is the commit. A unique
// _id is the one atomic check MongoDB and FerretDB share (FerretDB has no
// transactions, and its conditional updates read and write in two steps),
// so two edits can never both take a number, and the numbers have no gaps.
// Each change holds the new state of every document it wrote, its history
// (who, when, which mutation, every field before and after), and the
// entries it touched: it is the edit, its history and the feed the
// replicas follow, all at once. docs/ARCHITECTURE.md tells the whole story.

// ErrSeqTaken is Append's answer when another change committed first with
// the same number: the caller catches up and tries again.
var ErrSeqTaken = errors.New("store: another change took that number")

// seqID is a change's _id: its number, zero-padded to twelve digits so that
// _ids sort as numbers do. A string, because FerretDB hands SQLite a filter
// of _id alone only when the _id is a string or an ObjectID; with a number
// it would decode the whole log to find one change.
func seqID(seq int64) string { return fmt.Sprintf("%012d", seq) }

type changeDoc struct {
	ID         string     `bson:"_id"`
	Seq        int64      `bson:"seq"`
	ChangeID   string     `bson:"changeId"`
	At         time.Time  `bson:"at"`
	Actor      string     `bson:"actor"`
	ActorKeyID string     `bson:"actorKeyId"`
	Operation  string     `bson:"operation"`
	Entries    []entryDoc `bson:"entries"`
	EntityIDs  []string   `bson:"entityIds"` // the entries' ids, for history
	Writes     []writeDoc `bson:"writes"`
	Reload     bool       `bson:"reload,omitempty"`
}

type entryDoc struct {
	Type    string     `bson:"type"`
	ID      string     `bson:"id"`
	Slug    string     `bson:"slug"`
	Action  string     `bson:"action"`
	Version int        `bson:"version"`
	Fields  []fieldDoc `bson:"fields"`
}

type fieldDoc struct {
	Field  string `bson:"field"`
	Before any    `bson:"before"`
	After  any    `bson:"after"`
}

// writeDoc is the new state of one document, exactly as its collection
// keeps it; no doc means the change deleted it.
type writeDoc struct {
	Coll    string   `bson:"coll"`
	ID      string   `bson:"id"`
	Created bool     `bson:"created,omitempty"`
	Doc     bson.Raw `bson:"doc,omitempty"`
}

// collOf names the collection of each type of write.
var collOf = map[string]string{
	model.TypeRole: "roles", model.TypeTool: "tools", model.TypeResource: "resources", model.TypeRelation: relationsCollection,
}

func toChangeDoc(c *model.Change) (changeDoc, error) {
	d := changeDoc{ID: seqID(c.Seq), Seq: c.Seq, ChangeID: c.ID, At: c.At, Actor: c.Actor, ActorKeyID: c.ActorKeyID,
		Operation: c.Operation, Entries: []entryDoc{}, EntityIDs: []string{}, Writes: []writeDoc{}, Reload: c.Reload}
	seen := map[string]bool{}
	for _, e := range c.Entries {
		ed := entryDoc{Type: e.Type, ID: e.ID, Slug: e.Slug, Action: string(e.Action), Version: e.Version, Fields: []fieldDoc{}}
		for _, f := range e.Fields {
			ed.Fields = append(ed.Fields, fieldDoc{Field: f.Field, Before: f.Before, After: f.After})
		}
		d.Entries = append(d.Entries, ed)
		if !seen[e.ID] {
			d.EntityIDs = append(d.EntityIDs, e.ID)
			seen[e.ID] = true
		}
	}
	for _, w := range c.Writes {
		wd := writeDoc{Coll: collOf[w.Type], ID: w.ID, Created: w.Created}
		doc, err := projected(w, c.Seq)
		if err != nil {
			return d, err
		}
		if doc != nil {
			if wd.Doc, err = bson.Marshal(doc); err != nil {
				return d, fmt.Errorf("store: encode %s %s: %w", w.Type, w.ID, err)
			}
		}
		d.Writes = append(d.Writes, wd)
	}
	return d, nil
}

// projected is a write's document as its collection keeps it, marked with
// the change's number; nil for a deletion.
func projected(w model.Write, seq int64) (any, error) {
	switch {
	case w.Role != nil:
		d := toRoleDoc(w.Role)
		d.Seq = seq
		return d, nil
	case w.Tool != nil:
		d := toToolDoc(w.Tool)
		d.Seq = seq
		return d, nil
	case w.Resource != nil:
		d := toResourceDoc(w.Resource)
		d.Seq = seq
		return d, nil
	case w.Relation != nil:
		d := toRelationDoc(w.Relation)
		d.Seq = seq
		return d, nil
	case collOf[w.Type] == "":
		return nil, fmt.Errorf("store: a write of unknown type %q", w.Type)
	}
	return nil, nil
}

// model is the whole change, its writes included.
func (d changeDoc) model() (model.Change, error) {
	c := d.header()
	for _, w := range d.Writes {
		mw, err := w.model()
		if err != nil {
			return c, fmt.Errorf("store: change %d: %w", d.Seq, err)
		}
		c.Writes = append(c.Writes, mw)
	}
	return c, nil
}

// header is the change without its writes: what history and the public
// feed show.
func (d changeDoc) header() model.Change {
	c := model.Change{ID: d.ChangeID, Seq: d.Seq, At: d.At, Actor: d.Actor, ActorKeyID: d.ActorKeyID,
		Operation: d.Operation, Reload: d.Reload}
	for _, e := range d.Entries {
		me := model.ChangeEntry{Type: e.Type, ID: e.ID, Slug: e.Slug, Action: model.ChangeAction(e.Action), Version: e.Version}
		for _, f := range e.Fields {
			me.Fields = append(me.Fields, model.FieldChange{Field: f.Field, Before: plainValue(f.Before), After: plainValue(f.After)})
		}
		c.Entries = append(c.Entries, me)
	}
	return c
}

func (w writeDoc) model() (model.Write, error) {
	out := model.Write{ID: w.ID, Created: w.Created}
	var ok bool
	switch w.Coll {
	case "roles":
		out.Type, ok = model.TypeRole, decodeDoc(w.Doc, &out.Role, roleDoc.model)
	case "tools":
		out.Type, ok = model.TypeTool, decodeDoc(w.Doc, &out.Tool, toolDoc.model)
	case "resources":
		out.Type, ok = model.TypeResource, decodeDoc(w.Doc, &out.Resource, resourceDoc.model)
	case relationsCollection:
		out.Type, ok = model.TypeRelation, decodeDoc(w.Doc, &out.Relation, relationDoc.model)
	}
	if !ok {
		return out, fmt.Errorf("the write of %s %s cannot be read", w.Coll, w.ID)
	}
	return out, nil
}

// decodeDoc decodes a written document into *dst, as its collection's
// document type D makes it; a write without a document (a deletion)
// leaves *dst nil. It reports whether the document could be read.
func decodeDoc[D, M any](doc bson.Raw, dst **M, toModel func(D) M) bool {
	if doc == nil {
		return true
	}
	var d D
	if bson.Unmarshal(doc, &d) != nil {
		return false
	}
	m := toModel(d)
	*dst = &m
	return true
}

// plainValue turns the values the driver decodes into the ones a change was
// made with: bson.A into []any, bson.D into a map, so that a history's
// fields read the same before and after a round trip through the store.
func plainValue(v any) any {
	switch x := v.(type) {
	case bson.A:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	case bson.D:
		out := make(map[string]any, len(x))
		for _, e := range x {
			out[e.Key] = plainValue(e.Value)
		}
		return out
	}
	return v
}

// Append commits a change: one insert, with the change's number as its _id.
// If another change has that number, it is ErrSeqTaken and nothing is
// written.
func (s *Store) Append(ctx context.Context, c *model.Change) error {
	d, err := toChangeDoc(c)
	if err != nil {
		return err
	}
	_, err = s.changelog.InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return ErrSeqTaken
	}
	return wrap("append change", err)
}

// ChangeAt returns the change with the number, or nil when there is none
// yet: one find by _id, whose cost does not grow with the log.
func (s *Store) ChangeAt(ctx context.Context, seq int64) (*model.Change, error) {
	var d changeDoc
	err := s.changelog.FindOne(ctx, byID(seqID(seq))).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("read change", err)
	}
	c, err := d.model()
	return &c, err
}

// ChangesFrom returns up to n changes numbered from seq on, in order,
// without their writes: a page of the public feed. It reads each by _id,
// a few at once, and stops at the first number not yet taken.
func (s *Store) ChangesFrom(ctx context.Context, seq int64, n int) ([]model.Change, error) {
	docs := make([]*changeDoc, n)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	noWrites := options.FindOne().SetProjection(bson.D{{Key: "writes", Value: 0}})
	for i := range n {
		g.Go(func() error {
			var d changeDoc
			err := s.changelog.FindOne(ctx, byID(seqID(seq+int64(i))), noWrites).Decode(&d)
			if errors.Is(err, mongo.ErrNoDocuments) {
				return nil
			}
			docs[i] = &d
			return wrap("read changes", err)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []model.Change
	for _, d := range docs {
		if d == nil {
			break
		}
		out = append(out, d.header())
	}
	return out, nil
}

// FirstChangeSince returns the number of the first change made at or after
// t, among changes 1 to head, or head+1 when there is none. Changes are
// made in time order (the editor never dates a change before the one
// before it), so it is a binary search: about log2(head) finds by _id.
func (s *Store) FirstChangeSince(ctx context.Context, t time.Time, head int64) (int64, error) {
	lo, hi := int64(1), head+1
	atOnly := options.FindOne().SetProjection(bson.D{{Key: "at", Value: 1}})
	for lo < hi {
		mid := lo + (hi-lo)/2
		var d struct {
			At time.Time `bson:"at"`
		}
		err := s.changelog.FindOne(ctx, byID(seqID(mid)), atOnly).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			hi = mid // past the end of the log
			continue
		}
		if err != nil {
			return 0, wrap("find changes since", err)
		}
		if d.At.Before(t) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// History returns one page of the changes that touched the entry of the
// type with the id, newest first, as the entry sees them. It works for
// deleted entries too. The log is filtered on its entries' ids (an index
// on MongoDB; a scan of the log on FerretDB, fine for an editors' read).
// An API key's history is read from the key itself (keys.go).
func (s *Store) History(ctx context.Context, typ, id string, p model.PageRequest) (model.Page[model.HistoryEntry], error) {
	if typ == model.TypeAPIKey {
		return s.KeyHistory(ctx, id, p)
	}
	conds := bson.A{bson.D{{Key: "entityIds", Value: id}}}
	sort := sortKey[changeDoc]{field: "seq", desc: true, cursor: func(c changeDoc) model.Cursor {
		return model.Cursor{Key: strconv.FormatInt(c.Seq, 10), ID: c.ChangeID}
	}, omit: []string{"writes"}}
	if p.After != nil {
		// seq is unique, so the cursor's number alone places it.
		seq, err := strconv.ParseInt(p.After.Key, 10, 64)
		if err != nil {
			return model.Page[model.HistoryEntry]{}, model.FieldErrorf("after", "is not a cursor from this history")
		}
		conds = append(conds, bson.D{{Key: "seq", Value: bson.D{{Key: "$lt", Value: seq}}}})
		p.After = nil
	}
	return list(ctx, s.changelog, "read history", conds, sort, p, func(d changeDoc) model.HistoryEntry {
		return historyOf(d.header(), id)
	})
}

// historyOf is the change as the entry with the id sees it.
func historyOf(c model.Change, id string) model.HistoryEntry {
	h := model.HistoryEntry{Change: c}
	for _, e := range c.Entries {
		if e.ID == id {
			h.Entry = e
		}
	}
	return h
}

// ChangeFeed returns one page of the public feed of changes, oldest first:
// those after the cursor, made at or after since when given, among the
// changes up to head (the newest the caller's catalog includes). Numbers
// have no gaps, so the total is a subtraction.
func (s *Store) ChangeFeed(ctx context.Context, head int64, since *time.Time, p model.PageRequest) (model.Page[model.Change], error) {
	first := int64(1)
	if since != nil {
		var err error
		if first, err = s.FirstChangeSince(ctx, *since, head); err != nil {
			return model.Page[model.Change]{}, err
		}
	}
	total := max(head-first+1, 0)
	page := model.Page[model.Change]{Total: func(context.Context) (int, error) { return int(total), nil }}
	start := first
	if p.After != nil {
		after, err := strconv.ParseInt(p.After.Key, 10, 64)
		if err != nil || after < 0 {
			return page, model.FieldErrorf("after", "is not a cursor from this feed")
		}
		start = max(start, after+1)
	}
	n := min(int64(p.First), head-start+1)
	if n <= 0 {
		return page, nil
	}
	changes, err := s.ChangesFrom(ctx, start, int(n))
	if err != nil {
		return page, err
	}
	for _, c := range changes {
		page.Items = append(page.Items, c)
		page.Cursors = append(page.Cursors, model.Cursor{Key: strconv.FormatInt(c.Seq, 10), ID: c.ID})
	}
	page.HasNext = start+n-1 < head
	return page, nil
}
