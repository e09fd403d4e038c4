package model

import "fmt"

// Length and size limits of the catalog's inputs.
const (
	MaxTitleLen       = 100
	MaxTaglineLen     = 300
	MaxDescriptionLen = 5000
	MaxItemLen        = 300
	MaxItems          = 30
	MaxGoodFitLen     = 3000
	MaxToolsPerRole   = 60
	MaxResourcesPer   = 40
	MaxURLLen         = 2000
	MaxNoteLen        = 500
	MaxShortTextLen   = 1000
)

// RoleInput is a role as an editor writes it, naming its tools and learning
// resources by slug.
type RoleInput struct {
	Slug                  string
	Title                 string
	Family                RoleFamily
	Tagline               string
	Description           string
	Skills                []string
	Responsibilities      []string
	ToolSlugs             []string
	Advantages            []string
	Disadvantages         []string
	GoodFit               string
	Conclusion            string
	Salary                *Salary
	LearningResourceSlugs []string
	Occupations           []OccupationMatch
	Sources               []Source
	// ReviewedOn is when the editor checked the entry; nil means the day
	// of the edit.
	ReviewedOn *Date
}

// Validate checks every field's form; whether the slugs it names exist is
// for the caller, which knows the catalog.
func (in RoleInput) Validate() error {
	var c checker
	c.slug("slug", in.Slug)
	c.text("title", in.Title, 1, MaxTitleLen)
	if !in.Family.Valid() {
		c.fail("family", "must be one of %v", RoleFamilies)
	}
	c.text("tagline", in.Tagline, 1, MaxTaglineLen)
	c.text("description", in.Description, 1, MaxDescriptionLen)
	c.list("skills", in.Skills, 1, MaxItems, MaxItemLen)
	c.list("responsibilities", in.Responsibilities, 1, MaxItems, MaxItemLen)
	c.slugs("toolSlugs", in.ToolSlugs, MaxToolsPerRole)
	c.list("advantages", in.Advantages, 1, MaxItems, MaxItemLen)
	c.list("disadvantages", in.Disadvantages, 1, MaxItems, MaxItemLen)
	c.text("goodFit", in.GoodFit, 1, MaxGoodFitLen)
	c.text("conclusion", in.Conclusion, 0, MaxGoodFitLen)
	if in.Salary != nil {
		c.salary("salary", *in.Salary)
	}
	c.slugs("learningResourceSlugs", in.LearningResourceSlugs, MaxResourcesPer)
	c.occupations("occupations", in.Occupations)
	c.sources("sources", in.Sources)
	if in.ReviewedOn != nil {
		c.date("reviewedOn", *in.ReviewedOn)
	}
	return c.err()
}

func (c *checker) salary(field string, s Salary) {
	if len(s.Currency) != 3 || s.Currency != upperASCII(s.Currency) {
		c.fail(field+".currency", "must be a three-letter ISO 4217 code such as \"USD\"")
	}
	if !s.Period.Valid() {
		c.fail(field+".period", "must be YEAR, MONTH or HOUR")
	}
	if s.Median <= 0 || s.Median > maxAmount {
		c.fail(field+".median", "must be from 1 to %d, not %d", maxAmount, s.Median)
	}
	if s.Min != nil && (*s.Min <= 0 || *s.Min > s.Median) {
		c.fail(field+".min", "must be from 1 to the median (%d), not %d", s.Median, *s.Min)
	}
	if s.Max != nil && (*s.Max < s.Median || *s.Max > maxAmount) {
		c.fail(field+".max", "must be from the median (%d) to %d, not %d", s.Median, maxAmount, *s.Max)
	}
	c.text(field+".region", s.Region, 1, MaxTitleLen)
	c.text(field+".basis", s.Basis, 1, MaxTitleLen*2)
	c.text(field+".source", s.Source, 1, MaxTitleLen*2)
	c.url(field+".sourceUrl", s.SourceURL, false)
	if s.Year < 2000 || s.Year > 2100 {
		c.fail(field+".year", "must be a year from 2000 to 2100, not %d", s.Year)
	}
}

// maxAmount is the largest salary amount accepted.
const maxAmount = 100_000_000

func upperASCII(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch < 'A' || ch > 'Z' {
			b[i] = '?'
		}
	}
	return string(b)
}

// ToolInput is a tool as an editor writes it.
type ToolInput struct {
	Slug        string
	Name        string
	Category    ToolCategory
	Description string
	URL         string
}

// Validate checks every field, including that the slug is the name written
// as a slug.
func (in ToolInput) Validate() error {
	var c checker
	c.slug("slug", in.Slug)
	c.text("name", in.Name, 1, MaxTitleLen)
	switch want := Slugify(in.Name); {
	case in.Name == "":
	case want == "":
		c.fail("name", "must contain letters or digits")
	case ValidSlug(in.Slug) && in.Slug != want:
		c.fail("slug", "must be the tool's name written as a slug: %q", want)
	}
	if !in.Category.Valid() {
		c.fail("category", "must be one of %v", ToolCategories)
	}
	c.text("description", in.Description, 0, MaxShortTextLen)
	c.url("url", in.URL, false)
	return c.err()
}

// LearningResourceInput is a learning resource as an editor writes it.
type LearningResourceInput struct {
	Slug        string
	Title       string
	Provider    string
	URL         string
	Kind        ResourceKind
	Free        bool
	Description string
}

// Validate checks every field.
func (in LearningResourceInput) Validate() error {
	var c checker
	c.slug("slug", in.Slug)
	c.text("title", in.Title, 1, MaxTitleLen*2)
	c.text("provider", in.Provider, 1, MaxTitleLen)
	c.url("url", in.URL, true)
	if !in.Kind.Valid() {
		c.fail("kind", "must be one of %v", ResourceKinds)
	}
	c.text("description", in.Description, 1, MaxShortTextLen)
	return c.err()
}

// RelationInput links two roles, named by slug.
type RelationInput struct {
	From string
	To   string
	Kind RelationKind
	Note string
}

// Validate checks the slugs, the kind and the note, and refuses self-links.
func (in RelationInput) Validate() error {
	var c checker
	c.slug("from", in.From)
	c.slug("to", in.To)
	if in.From == in.To && in.From != "" {
		c.fail("to", "must name a role other than %q: a role cannot be related to itself", in.From)
	}
	if !in.Kind.Valid() {
		c.fail("kind", "must be one of %v", RelationKinds)
	}
	c.text("note", in.Note, 0, MaxNoteLen)
	return c.err()
}

// Prefix returns errs with every field path put under prefix, as in
// "input.slug"; other errors are returned unchanged.
func Prefix(prefix string, err error) error {
	es, ok := err.(Errors)
	if !ok {
		return err
	}
	out := make(Errors, len(es))
	for i, e := range es {
		out[i] = &Error{Code: e.Code, Field: fmt.Sprintf("%s.%s", prefix, e.Field), Message: e.Message}
	}
	return out
}
