package model

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// OccupationSystem is an occupational classification a role can be mapped
// to, so that Finder's roles can be joined with official statistics.
type OccupationSystem string

// The occupation systems.
const (
	// SystemONETSOC is O*NET-SOC 2019, the U.S. taxonomy behind O*NET and,
	// through its first six digits, the SOC codes BLS publishes wages by:
	// "15-1252.00".
	SystemONETSOC OccupationSystem = "ONET_SOC"
	// SystemISCO08 is the ILO's International Standard Classification of
	// Occupations 2008, which ESCO and most national statistics build on:
	// four digits, "2512".
	SystemISCO08 OccupationSystem = "ISCO_08"
)

// OccupationSystems lists every OccupationSystem.
var OccupationSystems = []OccupationSystem{SystemONETSOC, SystemISCO08}

// Valid reports whether s is one of OccupationSystems.
func (s OccupationSystem) Valid() bool { return slices.Contains(OccupationSystems, s) }

var occupationCodeForms = map[OccupationSystem]*regexp.Regexp{
	SystemONETSOC: regexp.MustCompile(`^[0-9]{2}-[0-9]{4}\.[0-9]{2}$`),
	SystemISCO08:  regexp.MustCompile(`^[0-9]{4}$`),
}

var occupationCodeExamples = map[OccupationSystem]string{
	SystemONETSOC: `two digits, a hyphen, four digits, a dot and two digits, such as "15-1252.00"`,
	SystemISCO08:  `four digits, such as "2512"`,
}

// ValidOccupationCode reports whether code is written as one of the
// systems writes its codes.
func ValidOccupationCode(code string) bool {
	return slices.ContainsFunc(OccupationSystems, func(s OccupationSystem) bool { return s.ValidCode(code) })
}

// ValidCode reports whether code is written as the system writes its codes.
func (s OccupationSystem) ValidCode(code string) bool {
	re := occupationCodeForms[s]
	return re != nil && re.MatchString(code)
}

// OccupationMatchKind says how a role relates to an occupation, as ESCO's
// mappings to other classifications do (skos:exactMatch, broadMatch,
// narrowMatch, closeMatch).
type OccupationMatchKind string

// The kinds of match.
const (
	// MatchExact: the role and the occupation are the same work.
	MatchExact OccupationMatchKind = "EXACT"
	// MatchBroader: the occupation is broader than the role and includes
	// it, as Software Developers includes Back-End Developer.
	MatchBroader OccupationMatchKind = "BROADER"
	// MatchNarrower: the occupation is narrower than the role, one part of it.
	MatchNarrower OccupationMatchKind = "NARROWER"
	// MatchRelated: the occupation overlaps the role without including it.
	MatchRelated OccupationMatchKind = "RELATED"
)

// OccupationMatchKinds lists every OccupationMatchKind.
var OccupationMatchKinds = []OccupationMatchKind{MatchExact, MatchBroader, MatchNarrower, MatchRelated}

// Valid reports whether k is one of OccupationMatchKinds.
func (k OccupationMatchKind) Valid() bool { return slices.Contains(OccupationMatchKinds, k) }

// OccupationMatch maps a role to an occupation of an official
// classification.
type OccupationMatch struct {
	System OccupationSystem
	Code   string
	Title  string // the occupation's title, as the classification gives it
	Match  OccupationMatchKind
	URL    string // the occupation's public page
}

// Source is a publication a role's facts and figures come from.
type Source struct {
	Title     string
	Publisher string
	URL       string
	Accessed  Date // when it was last read
}

// Date is a calendar day, written as in ISO 8601: "2026-12-04".
type Date string

// ParseDate reads a day written as "2026-12-04".
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("must be a date written as YYYY-MM-DD, such as \"2026-12-04\"")
	}
	return Date(s), nil
}

// DateOf is the day of t, in UTC.
func DateOf(t time.Time) Date { return Date(t.UTC().Format(time.DateOnly)) }

// Limits of a role's provenance.
const (
	MaxOccupations = 10
	MaxSources     = 20
)

// occupations checks a role's occupation codes.
func (c *checker) occupations(field string, list []OccupationMatch) {
	if len(list) > MaxOccupations {
		c.fail(field, "must have at most %d items, not %d", MaxOccupations, len(list))
		return
	}
	seen := map[string]bool{}
	for i, o := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !o.System.Valid() {
			c.fail(f+".system", "must be one of %v", OccupationSystems)
		} else if !o.System.ValidCode(o.Code) {
			c.fail(f+".code", "must be a %s code: %s", o.System, occupationCodeExamples[o.System])
		}
		if key := string(o.System) + " " + o.Code; seen[key] {
			c.fail(f+".code", "%s %s is listed twice", o.System, o.Code)
		} else {
			seen[key] = true
		}
		c.text(f+".title", o.Title, 1, MaxTitleLen*2)
		if !o.Match.Valid() {
			c.fail(f+".match", "must be one of %v", OccupationMatchKinds)
		}
		c.httpsURL(f+".url", o.URL)
	}
}

// sources checks a role's sources.
func (c *checker) sources(field string, list []Source) {
	if len(list) > MaxSources {
		c.fail(field, "must have at most %d items, not %d", MaxSources, len(list))
		return
	}
	for i, s := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		c.text(f+".title", s.Title, 1, MaxTitleLen*2)
		c.text(f+".publisher", s.Publisher, 1, MaxTitleLen)
		c.httpsURL(f+".url", s.URL)
		c.date(f+".accessed", s.Accessed)
	}
}

// date checks a day that has already come.
func (c *checker) date(field string, d Date) {
	t, err := time.Parse(time.DateOnly, string(d))
	switch {
	case err != nil:
		c.fail(field, "must be a date written as YYYY-MM-DD, such as \"2026-12-04\"")
	case t.Year() < 2000 || t.After(time.Now().Add(24*time.Hour)):
		c.fail(field, "must be a day from 2000 to today, not %s", d)
	}
}

// httpsURL checks a required https URL.
func (c *checker) httpsURL(field, s string) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(s) > MaxURLLen {
		c.fail(field, "must be an https URL of at most %d characters, such as \"https://www.bls.gov/ooh/\"", MaxURLLen)
	}
}

// MarshalGQL writes the day as a GraphQL string.
func (d Date) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(d)))
}

// UnmarshalGQL reads a day from a GraphQL string, refusing anything that is
// not one.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("must be a date written as YYYY-MM-DD, such as \"2026-12-04\"")
	}
	parsed, err := ParseDate(s)
	*d = parsed
	return err
}
