package editor

import (
	"fmt"
	"strings"

	"github.com/finder-platform/finder/model"
)

// entryFor describes what a change does to one entry, for its history.
func entryFor(typ, id, slug string, action model.ChangeAction, version int, fields []string, before, after map[string]any) *model.ChangeEntry {
	return &model.ChangeEntry{Type: typ, ID: id, Slug: slug, Action: action, Version: version,
		Fields: model.Diff(fields, before, after)}
}

// stale is the error for an edit based on an old version.
func stale(typ, slug string, have, want int) error {
	return model.Errorf(model.CodeConflict, "The %s %q was changed by someone else: it is at version %d, not %d. Reload it and apply your change again.",
		model.TypeName(typ), slug, have, want)
}

// slugTaken is the error for a slug another entry of the type has.
func slugTaken(typ, slug string) error {
	return &model.Error{Code: model.CodeConflict, Field: "input.slug",
		Message: fmt.Sprintf("A %s with the slug %q already exists; choose another slug.", model.TypeName(typ), slug)}
}

func fieldAt(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// describe lists up to five slugs for a message.
func describe(slugs []string) string {
	if len(slugs) > 5 {
		return strings.Join(slugs[:5], ", ") + fmt.Sprintf(" and %d more", len(slugs)-5)
	}
	return strings.Join(slugs, ", ")
}
