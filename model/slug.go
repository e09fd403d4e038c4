package model

import (
	"strconv"
	"strings"
)

// MaxSlugLen is the longest slug accepted.
const MaxSlugLen = 80

// ValidSlug reports whether s is lowercase ASCII words and digits joined by
// single hyphens, such as "ruby-on-rails", and not longer than MaxSlugLen.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// slugWords spells out the symbols that carry meaning in tool names, so that
// "C", "C++" and "C#" get different slugs.
var slugWords = map[rune]string{'+': "plus", '#': "sharp", '&': "and"}

// Slugify writes a name as a slug: "Ruby on Rails" is "ruby-on-rails",
// "Node.js" is "node-js", "C++" is "c-plus-plus" and ".NET" is "dot-net".
// Letters outside ASCII are dropped. A slug longer than MaxSlugLen is cut
// at the last word that fits (or, for one long word, at MaxSlugLen), so
// every name has a valid slug, or "" when it has no letters or digits.
func Slugify(name string) string {
	var words []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			words = append(words, word.String())
			word.Reset()
		}
	}
	name = strings.TrimSpace(name)
	if strings.HasPrefix(name, ".") {
		words = append(words, "dot")
	}
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			word.WriteRune(r)
		case slugWords[r] != "":
			flush()
			words = append(words, slugWords[r])
		default:
			flush()
		}
	}
	flush()
	slug := strings.Join(words, "-")
	if len(slug) > MaxSlugLen {
		slug = slug[:MaxSlugLen]
		if cut := strings.LastIndexByte(slug, '-'); cut > 0 {
			slug = slug[:cut]
		}
	}
	return slug
}

// SlugPhrase names a slug in a message: quoted when it is one, described
// when it is not, since what is not a slug may be anything (a secret pasted
// into the wrong field included) and must not be echoed back.
func SlugPhrase(s string) string {
	if ValidSlug(s) {
		return "the slug " + strconv.Quote(s)
	}
	return "the slug given (it is not a valid slug)"
}
