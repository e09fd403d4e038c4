package model

import "testing"

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
