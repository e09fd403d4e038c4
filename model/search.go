package model

import (
	"slices"
	"strings"
	"unicode"
)

// Search ranks, best first. A lower rank is a better match.
const (
	RankExactTitle  = iota // the title, ignoring case and punctuation
	RankTitlePrefix        // the title starts with the query
	RankTitleWords         // every query word starts a word of the title
	RankOtherText          // every query word starts a word of the title or the other text
)

// MaxSearchLen is the longest search text accepted, in bytes.
const MaxSearchLen = 200

// Words splits s into lowercase words of letters and digits; everything else
// separates words. It is how both queries and catalog text are normalized, so
// "Back-End", "back end" and "BACK_END" all read as ["back", "end"].
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// SearchKey is a piece of catalog text prepared for matching. Build it once
// with NewSearchKey and match it against many queries.
type SearchKey struct {
	titleSquash string
	title       []string // sorted words and joined neighbouring pairs
	all         []string // likewise, for the title and every other text
}

// NewSearchKey prepares a title and any other searchable text.
func NewSearchKey(title string, text ...string) SearchKey {
	words := Words(title)
	all := wordsAndPairs(words)
	for _, t := range text {
		all = append(all, wordsAndPairs(Words(t))...)
	}
	return SearchKey{
		titleSquash: strings.Join(words, ""),
		title:       sortedSet(wordsAndPairs(words)),
		all:         sortedSet(all),
	}
}

// wordsAndPairs returns words plus each word joined to the next, so that
// "backend" finds "back end" as well as the other way round.
func wordsAndPairs(words []string) []string {
	out := slices.Clone(words)
	for i := 1; i < len(words); i++ {
		out = append(out, words[i-1]+words[i])
	}
	return out
}

func sortedSet(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// Query is search text prepared for matching. Its text is only ever compared
// with catalog text; it is never a pattern or a database operator.
type Query struct {
	words  []string
	squash string
}

// NewQuery prepares search text.
func NewQuery(text string) Query {
	words := Words(text)
	return Query{words: words, squash: strings.Join(words, "")}
}

// Empty reports whether q has no letters or digits, and so matches nothing.
func (q Query) Empty() bool { return len(q.words) == 0 }

// Rank returns how well k matches q, and false when it does not match.
func (q Query) Rank(k SearchKey) (int, bool) {
	switch {
	case q.Empty():
		return 0, false
	case k.titleSquash == q.squash:
		return RankExactTitle, true
	case strings.HasPrefix(k.titleSquash, q.squash):
		return RankTitlePrefix, true
	case q.matches(k.title):
		return RankTitleWords, true
	case q.matches(k.all):
		return RankOtherText, true
	}
	return 0, false
}

// matches reports whether every query word starts some word in set, or the
// whole query, squashed, starts one.
func (q Query) matches(set []string) bool {
	if hasPrefixed(set, q.squash) {
		return true
	}
	for _, w := range q.words {
		if !hasPrefixed(set, w) {
			return false
		}
	}
	return true
}

// hasPrefixed reports whether the sorted set holds a word starting with p.
func hasPrefixed(set []string, p string) bool {
	i, _ := slices.BinarySearch(set, p)
	return i < len(set) && strings.HasPrefix(set[i], p)
}

// Terms returns every word, and every pair of neighbouring words joined,
// of the key's title and text: what a store can index to find the entries a
// query may match. An entry matches exactly when every query word, or the
// whole query squashed, starts one of its terms; Rank then says how well.
func (k SearchKey) Terms() []string {
	return slices.Clone(k.all)
}

// Words returns the query's words; Squashed returns them joined. A store
// that finds candidates by Terms keeps an entry when every word starts one
// of its terms, or the squashed query does.
func (q Query) Words() []string { return q.words }

// Squashed returns the query's words joined without spaces.
func (q Query) Squashed() string { return q.squash }

// RoleSearchKey is what search matches in a role.
func RoleSearchKey(r *Role) SearchKey {
	text := []string{r.Tagline, r.Description}
	text = append(text, r.Skills...)
	return NewSearchKey(r.Title, append(text, r.Responsibilities...)...)
}

// ToolSearchKey is what search matches in a tool.
func ToolSearchKey(t *Tool) SearchKey {
	return NewSearchKey(t.Name, t.Description)
}

// ResourceSearchKey is what search matches in a learning resource.
func ResourceSearchKey(r *LearningResource) SearchKey {
	return NewSearchKey(r.Title, r.Provider, r.Description)
}

// SortHits orders search hits best first: by rank, then roles before tools
// before resources, then by title, then by slug.
func SortHits(hits []SearchHit) {
	kind := func(h SearchHit) int {
		switch {
		case h.Role != nil:
			return 0
		case h.Tool != nil:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		if ka, kb := kind(a), kind(b); ka != kb {
			return ka - kb
		}
		if c := strings.Compare(strings.ToLower(a.Title()), strings.ToLower(b.Title())); c != 0 {
			return c
		}
		return strings.Compare(a.slug(), b.slug())
	})
}

func (h SearchHit) slug() string {
	switch {
	case h.Role != nil:
		return h.Role.Slug
	case h.Tool != nil:
		return h.Tool.Slug
	case h.Resource != nil:
		return h.Resource.Slug
	}
	return ""
}
