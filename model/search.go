package model

import (
	"slices"
	"sort"
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
	title       termSet // words and joined neighbouring pairs
	all         termSet // likewise, for the title and every other text
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
		title:       newTermSet(wordsAndPairs(words)),
		all:         newTermSet(all),
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

// termSet is a sorted set of terms packed into one string, term i ending
// at ends[i]. A role's key holds hundreds of terms: packed, they cost a
// third of the memory of a []string and give the garbage collector two
// pointers to follow instead of hundreds (it matters with 10,000 roles).
type termSet struct {
	data string
	ends []uint32
	// starts has a bit set for the first byte and the first two bytes of
	// every term, so that most sets without a term that starts with p say
	// so without reading data: a search visits every key, and with 10,000
	// roles their terms do not fit in the processor's caches.
	starts prefixBits
}

func newTermSet(terms []string) termSet {
	slices.Sort(terms)
	terms = slices.Compact(terms)
	var b strings.Builder
	ends := make([]uint32, len(terms))
	var starts prefixBits
	for i, t := range terms {
		b.WriteString(t)
		ends[i] = uint32(b.Len())
		starts.add(t)
	}
	return termSet{data: b.String(), ends: ends, starts: starts}
}

// prefixBits is a small set of term beginnings: bit b%64 of the first word
// for a first byte b, and one bit of the other three words for a first
// pair of bytes. A clear bit proves no term starts so; a set one proves
// nothing.
type prefixBits [4]uint64

func (p *prefixBits) add(term string) {
	if term == "" {
		return
	}
	p[0] |= 1 << (term[0] % 64)
	if len(term) > 1 {
		bit := pairBit(term)
		p[1+bit/64] |= 1 << (bit % 64)
	}
}

// mayHave reports whether some term may start with prefix.
func (p *prefixBits) mayHave(prefix string) bool {
	switch len(prefix) {
	case 0:
		return true
	case 1:
		return p[0]&(1<<(prefix[0]%64)) != 0
	}
	bit := pairBit(prefix)
	return p[1+bit/64]&(1<<(bit%64)) != 0
}

func pairBit(s string) uint { return (uint(s[0])*31 + uint(s[1])) % 192 }

func (s termSet) len() int { return len(s.ends) }

func (s termSet) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.data[start:s.ends[i]]
}

// hasPrefixed reports whether the set holds a term starting with p.
func (s termSet) hasPrefixed(p string) bool {
	if !s.starts.mayHave(p) {
		return false
	}
	i := sort.Search(s.len(), func(i int) bool { return s.at(i) >= p })
	return i < s.len() && strings.HasPrefix(s.at(i), p)
}

func (s termSet) terms() []string {
	out := make([]string, s.len())
	for i := range out {
		out[i] = s.at(i)
	}
	return out
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
	if rank, ok := q.RankTitle(k); ok {
		return rank, true
	}
	if q.MatchesText(k) {
		return RankOtherText, true
	}
	return 0, false
}

// RankTitle returns how well k's title alone matches q (RankExactTitle,
// RankTitlePrefix or RankTitleWords), and false when it does not.
func (q Query) RankTitle(k SearchKey) (int, bool) {
	switch {
	case q.Empty():
		return 0, false
	case k.titleSquash == q.squash:
		return RankExactTitle, true
	case strings.HasPrefix(k.titleSquash, q.squash):
		return RankTitlePrefix, true
	case q.matches(k.title):
		return RankTitleWords, true
	}
	return 0, false
}

// MatchesText reports whether k's title and other text together match q:
// whether Rank would say RankOtherText or better.
func (q Query) MatchesText(k SearchKey) bool {
	return !q.Empty() && q.matches(k.all)
}

// matches reports whether every query word starts some word in set, or the
// whole query, squashed, starts one.
func (q Query) matches(set termSet) bool {
	if set.hasPrefixed(q.squash) {
		return true
	}
	for _, w := range q.words {
		if !set.hasPrefixed(w) {
			return false
		}
	}
	return true
}

// Terms returns every word, and every pair of neighbouring words joined,
// of the key's title and text: what a store can index to find the entries a
// query may match. An entry matches exactly when every query word, or the
// whole query squashed, starts one of its terms; Rank then says how well.
func (k SearchKey) Terms() []string {
	return k.all.terms()
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
// before resources, then by title, ignoring case, then by id (the order the
// catalog's lists are in).
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
		return strings.Compare(a.id(), b.id())
	})
}

func (h SearchHit) id() string {
	switch {
	case h.Role != nil:
		return h.Role.ID
	case h.Tool != nil:
		return h.Tool.ID
	case h.Resource != nil:
		return h.Resource.ID
	}
	return ""
}
