package store

import (
	"context"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/finder-platform/finder/model"
)

// History returns one page of the committed changes of the entry with
// the id, newest first. It works for deleted entries too.
func (s *Store) History(ctx context.Context, id string, p model.PageRequest) (model.Page[model.HistoryEntry], error) {
	conds := bson.A{bson.D{{Key: "entityIds", Value: id}}}
	sort := sortKey[changeDoc]{field: "seq", desc: true, cursor: func(c changeDoc) model.Cursor {
		return model.Cursor{Key: strconv.FormatInt(c.Seq, 10), ID: c.ID}
	}}
	if p.After != nil {
		// seq is unique, so the cursor's number alone places it.
		seq, err := strconv.ParseInt(p.After.Key, 10, 64)
		if err != nil {
			return model.Page[model.HistoryEntry]{}, model.FieldErrorf("after", "is not a cursor from this history")
		}
		conds = append(conds, bson.D{{Key: "seq", Value: bson.D{{Key: "$lt", Value: seq}}}})
		p.After = nil
	}
	return list(ctx, s.history, "read history", conds, sort, p, func(c changeDoc) model.HistoryEntry {
		return c.historyOf(id)
	})
}

// historyOf is the change as the entry with the id sees it.
func (c changeDoc) historyOf(id string) model.HistoryEntry {
	h := model.HistoryEntry{Change: model.Change{ID: c.ID, Seq: c.Seq, At: c.At, Actor: c.Actor, Operation: c.Operation}}
	for _, e := range c.Entries {
		me := model.ChangeEntry{Type: e.Type, ID: e.ID, Slug: e.Slug, Action: model.ChangeAction(e.Action), Version: e.Version}
		for _, f := range e.Fields {
			me.Fields = append(me.Fields, model.FieldChange{Field: f.Field, Before: f.Before, After: f.After})
		}
		h.Entries = append(h.Entries, me)
		if e.ID == id {
			h.Entry = me
		}
	}
	return h
}
