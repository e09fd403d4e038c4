package model

import (
	"slices"
	"strings"
	"testing"
)

func TestQueryRank(t *testing.T) {
	backEnd := NewSearchKey("Back-End Developer", "Builds the server side of web applications.", "APIs")
	for _, tc := range []struct {
		query string
		rank  int
		ok    bool
	}{
		{"Back-End Developer", RankExactTitle, true},
		{"back end developer", RankExactTitle, true},
		{"BACKEND-DEVELOPER", RankExactTitle, true},
		{"backend", RankTitlePrefix, true},
		{"back end", RankTitlePrefix, true},
		{"Back-End", RankTitlePrefix, true},
		{"back", RankTitlePrefix, true},
		{"developer", RankTitleWords, true},
		{"dev back", RankTitleWords, true},
		{"enddev", RankTitleWords, true},
		{"server", RankOtherText, true},
		{"web app", RankOtherText, true},
		{"api", RankOtherText, true},
		{"serverside", RankOtherText, true},
		{"developer apis", RankOtherText, true}, // one word in the title, one in the text
		{"back server", RankOtherText, true},
		{"front", 0, false},
		{"back front", 0, false},
		{"", 0, false},
		{"   --- ", 0, false},
		{".*", 0, false},
		{`{"$gt":""}`, 0, false},
		{"$where", 0, false},
	} {
		rank, ok := NewQuery(tc.query).Rank(backEnd)
		if ok != tc.ok || rank != tc.rank {
			t.Errorf("%q: rank %d, %v; want %d, %v", tc.query, rank, ok, tc.rank, tc.ok)
		}
	}
}

func TestQueryIsLiteral(t *testing.T) {
	// Characters that mean something in a regular expression or a query
	// operator are separators; they never widen a match.
	key := NewSearchKey("Where Clause Guide", "a(b)c")
	if _, ok := NewQuery("(").Rank(key); ok {
		t.Error(`"(" matched`)
	}
	if rank, ok := NewQuery("$where").Rank(key); !ok || rank != RankTitlePrefix {
		t.Errorf(`"$where" = %d, %v: want the literal word "where" as a title prefix`, rank, ok)
	}
}

// TestTermSetFindsPrefixesAsAScanWould checks the packed set and its
// prefix bits against a plain scan, for every beginning of every term
// (one, two and more bytes, inside multi-byte letters too) and for
// beginnings no term has.
func TestTermSetFindsPrefixesAsAScanWould(t *testing.T) {
	terms := []string{"back", "end", "backend", "developer", "go", "g", "über", "ñandú", "c", "c4", "sql", "sqlite", "zz9", "x"}
	set := newTermSet(slices.Clone(terms))
	if got := set.terms(); !slices.IsSorted(got) || len(got) != len(terms) {
		t.Fatalf("terms() = %q: want the %d terms, sorted", got, len(terms))
	}
	prefixes := []string{"", "a", "q", "zy", "zz", "sqm", "backs", "endless", "ü", "\xc3", "ñan", "d", "de", "gox"}
	for _, term := range terms {
		for i := 1; i <= len(term); i++ {
			prefixes = append(prefixes, term[:i])
		}
	}
	found := 0
	for _, p := range prefixes {
		want := slices.ContainsFunc(terms, func(term string) bool { return strings.HasPrefix(term, p) })
		if got := set.hasPrefixed(p); got != want {
			t.Errorf("hasPrefixed(%q) = %v, want %v", p, got, want)
		}
		if want {
			found++
		}
	}
	if found == len(prefixes) {
		t.Fatal("every prefix is found: the test proves nothing about misses")
	}
}
