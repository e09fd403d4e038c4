package model

import "testing"

func TestGlobalIDRoundTrip(t *testing.T) {
	id := GlobalID(TypeRole, "0190c4a1-7f3e-7b5c-9d1e-2f3a4b5c6d7e")
	typ, raw, err := ParseGlobalID("id", id)
	if err != nil || typ != TypeRole || raw != "0190c4a1-7f3e-7b5c-9d1e-2f3a4b5c6d7e" {
		t.Errorf("ParseGlobalID(%q) = %q, %q, %v", id, typ, raw, err)
	}
}

func TestParseGlobalIDRejects(t *testing.T) {
	for _, s := range []string{"", "nope", "Um9sZQ", GlobalID("User", "1"), GlobalID(TypeTool, ""), "!!!", `{"$gt":""}`} {
		if _, _, err := ParseGlobalID("id", s); ErrorCodeOf(err) != CodeBadUserInput {
			t.Errorf("ParseGlobalID(%q) error = %v, want BAD_USER_INPUT", s, err)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{Key: "back-end developer", ID: "abc"}
	got, err := DecodeCursor("after", c.Encode())
	if err != nil || *got != c {
		t.Errorf("DecodeCursor(Encode(%v)) = %v, %v", c, got, err)
	}
	for _, s := range []string{"", "x", "e30", "bm90IGpzb24", c.Encode() + "!"} {
		if _, err := DecodeCursor("after", s); ErrorCodeOf(err) != CodeBadUserInput {
			t.Errorf("DecodeCursor(%q) error = %v, want BAD_USER_INPUT", s, err)
		}
	}
}

func TestRelationReadsFromBothEnds(t *testing.T) {
	for _, tc := range []struct {
		kind, back RelationKind
	}{
		{RelationNextStep, RelationPreviousStep},
		{RelationPreviousStep, RelationNextStep},
		{RelationSpecializationOf, RelationGeneralizationOf},
		{RelationCollaboratesWith, RelationCollaboratesWith},
	} {
		r := CanonicalRelation(Relation{FromID: "b", ToID: "a", Kind: tc.kind, Note: "n"})
		fromB, _ := RelationFrom(r, "b")
		fromA, _ := RelationFrom(r, "a")
		if fromB.Kind != tc.kind || fromB.RoleID != "a" || fromA.Kind != tc.back || fromA.RoleID != "b" {
			t.Errorf("%s from b to a reads %v from b and %v from a", tc.kind, fromB, fromA)
		}
		if _, ok := RelationFrom(r, "c"); ok {
			t.Errorf("%s: a third role reads the relation", tc.kind)
		}
	}
}
