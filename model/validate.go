package model

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors is every problem found in one input. Each is a BAD_USER_INPUT
// *Error naming its field, so a client can show them all at once.
type Errors []*Error

// Error joins the problems into one sentence per line.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the first problem, so ErrorCodeOf reports
// BAD_USER_INPUT for the whole list.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// checker collects the problems of one input.
type checker struct{ errs Errors }

func (c *checker) fail(field, format string, args ...any) {
	c.errs = append(c.errs, FieldErrorf(field, format, args...))
}

// err returns the problems found, or nil.
func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

// text checks that s has between minLen and maxLen characters, and no
// control characters other than newlines and tabs.
func (c *checker) text(field, s string, minLen, maxLen int) {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		c.fail(field, "must be valid UTF-8 text")
	case strings.TrimSpace(s) == "" && minLen > 0:
		c.fail(field, "must not be empty")
	case n < minLen || n > maxLen:
		c.fail(field, "must be %d to %d characters long, not %d", minLen, maxLen, n)
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		c.fail(field, "must not contain control characters")
	}
}

// list checks the number of items and each item as text.
func (c *checker) list(field string, items []string, minItems, maxItems, maxLen int) {
	if len(items) < minItems || len(items) > maxItems {
		c.fail(field, "must have %d to %d items, not %d", minItems, maxItems, len(items))
		return
	}
	for i, s := range items {
		c.text(fmt.Sprintf("%s[%d]", field, i), s, 1, maxLen)
	}
}

// slug checks a slug's form. The value is not quoted back: what is not a
// slug may be anything, a secret pasted in the wrong field included.
func (c *checker) slug(field, s string) {
	if !ValidSlug(s) {
		c.fail(field, "must be lowercase letters and digits in words joined by single hyphens, such as \"back-end-developer\", at most %d characters", MaxSlugLen)
	}
}

// slugs checks a list of slugs: their number, form, and no repeats.
func (c *checker) slugs(field string, slugs []string, maxItems int) {
	if len(slugs) > maxItems {
		c.fail(field, "must have at most %d items, not %d", maxItems, len(slugs))
		return
	}
	seen := make(map[string]bool, len(slugs))
	for i, s := range slugs {
		f := fmt.Sprintf("%s[%d]", field, i)
		c.slug(f, s)
		if seen[s] {
			c.fail(f, "%q is listed twice", s)
		}
		seen[s] = true
	}
}

// url checks an absolute http or https URL.
func (c *checker) url(field, s string, required bool) {
	if s == "" && !required {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > MaxURLLen {
		c.fail(field, "must be an http or https URL of at most %d characters, such as \"https://example.com/course\"", MaxURLLen)
	}
}
