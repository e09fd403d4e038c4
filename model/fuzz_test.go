package model

// Fuzz tests for everything in model that reads what a client sent:
// cursors, slugs, search text, global ids, the inputs of mutations, and
// email addresses. Each target checks that hostile input never panics and
// that what is accepted really has the form docs/API.md promises.
//
// The seeds below run with every `go test`; more, found or written by hand,
// are under testdata/fuzz/<target>. Fuzz one target with, for example,
//
//	go test ./model -run '^$' -fuzz '^FuzzDecodeCursor$' -fuzztime 30s

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// hostileStrings are the seeds every string target starts from.
var hostileStrings = []string{
	"",
	" ",
	"\xff",
	"\xff\xfe\xfd",
	"\x00",
	"a\x00b",
	"\u0000",
	"\ufffd",
	"\u2028\u2029",
	"\r\n",
	"back-end-developer",
	"Back-End Developer",
	"C++",
	".NET",
	"AT&T",
	`{"$gt": ""}`,
	`{"$where": "sleep(1000)"}`,
	"$where",
	"$$ROOT",
	".*",
	"^.*$",
	"(a+)+$",
	"[$ne]=1",
	"'; return true; var x='",
	"İstanbul",
	"ǅemal",
	"\u212a", // the Kelvin sign, which lowercases to ASCII "k"
	"ﬀ",      // a ligature: one rune, two letters when folded
	strings.Repeat("a", MaxSlugLen),
	strings.Repeat("a", MaxSlugLen+1),
	strings.Repeat("a-", 600),
	strings.Repeat("\xff", 1100),
	strings.Repeat("😀", 270),
}

// FuzzDecodeCursor: any string is a cursor or a BAD_USER_INPUT error; a
// decoded cursor encodes to a string that decodes to it; and every cursor
// the server can make decodes back.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s, s, s)
	}
	f.Add(Cursor{Key: "back-end developer", ID: "abc"}.Encode(), "back-end developer", "abc")
	f.Add("eyJrIjoiIiwiaSI6IngifQ", "", "x")                // {"k":"","i":"x"}
	f.Add("eyJrIjpudWxsLCJpIjoieCJ9", "", "0190c4a1")       // {"k":null,"i":"x"}
	f.Add("eyJrIjp7IiRndCI6IiJ9LCJpIjoieCJ9", "$gt", "$ne") // {"k":{"$gt":""},"i":"x"}
	f.Add("eyJpIjoieCIsImkiOiJ5In0", "k", "i")              // {"i":"x","i":"y"}
	f.Add("W3siayI6MX1d", "k", "i")                         // [{"k":1}]
	f.Add(strings.Repeat("e", 1025), strings.Repeat("é", 2*MaxTitleLen), "0190c4a1-7f3e-7b5c-9d1e-2f3a4b5c6d7e")
	f.Fuzz(func(t *testing.T, s, key, id string) {
		c, err := DecodeCursor("after", s)
		switch {
		case err != nil:
			if c != nil || ErrorCodeOf(err) != CodeBadUserInput {
				t.Fatalf("DecodeCursor(%q) = %v, %v; want nil and a BAD_USER_INPUT error", short(s), c, err)
			}
		case c == nil || c.ID == "":
			t.Fatalf("DecodeCursor(%q) = %+v without an error", short(s), c)
		default:
			again, err := DecodeCursor("after", c.Encode())
			if err != nil || *again != *c {
				t.Fatalf("DecodeCursor(%q) = %+v, which encodes to %q, which decodes to %+v, %v", short(s), *c, short(c.Encode()), again, err)
			}
		}

		// Every cursor the server makes decodes back: its key is a title,
		// a name or a time (at most 2*MaxTitleLen characters of valid text,
		// lowercased), its id a store id.
		if id == "" || len(id) > 64 || !utf8.ValidString(key) || !utf8.ValidString(id) {
			return
		}
		key = strings.ToLower(key)
		if utf8.RuneCountInString(key) > 2*MaxTitleLen {
			return
		}
		want := Cursor{Key: key, ID: id}
		got, err := DecodeCursor("after", want.Encode())
		if err != nil || *got != want {
			t.Fatalf("Cursor{Key: %q (%d bytes), ID: %q}.Encode() = %q (%d bytes), which decodes to %v, %v",
				short(key), len(key), short(id), short(want.Encode()), len(want.Encode()), got, err)
		}
	})
}

// FuzzSlug: ValidSlug never panics; Slugify writes a valid slug or
// nothing; a valid slug is its own Slugify.
func FuzzSlug(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Add("Ruby on Rails")
	f.Add("Back-End")
	f.Add("c-plus-plus")
	f.Add("-a")
	f.Add("a--b")
	f.Add("a-")
	f.Add("web3")
	f.Add("...")
	f.Add("C#/F# & .NET++")
	f.Fuzz(func(t *testing.T, s string) {
		valid := ValidSlug(s)
		if want := isSlug(s); valid != want {
			t.Fatalf("ValidSlug(%q) = %v, want %v", short(s), valid, want)
		}
		slug := Slugify(s)
		if slug != "" && !ValidSlug(slug) {
			t.Fatalf("Slugify(%q) = %q (%d bytes), which is not a valid slug", short(s), short(slug), len(slug))
		}
		if again := Slugify(slug); again != slug {
			t.Fatalf("Slugify(%q) = %q, but Slugify(%q) = %q", short(s), short(slug), short(slug), short(again))
		}
		if valid && slug != s {
			t.Fatalf("the valid slug %q slugifies to %q", short(s), short(slug))
		}
	})
}

// FuzzSearch: preparing and matching any text never panics; a query is
// only ever letters and digits (never a pattern or an operator); a query
// whose words, squashed, are the title's ranks as the exact title.
func FuzzSearch(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s, s, s)
	}
	f.Add("Back-End Developer", "Builds the server side.", "backend developer")
	f.Add("Back-End Developer", "Builds the server side.", "BACK_END-developer!")
	f.Add("Where Clause Guide", "a(b)c", "$where")
	f.Add("C++", "", "c")
	f.Add("a b c", "", "abc")
	f.Add("", "text only", "text")
	f.Add(strings.Repeat("a ", 500), strings.Repeat("ab", 500), strings.Repeat("a", 200))
	f.Fuzz(func(t *testing.T, title, text, query string) {
		q := NewQuery(query)
		key := NewSearchKey(title, text, query)
		rank, ok := q.Rank(key)
		if ok && (rank < RankExactTitle || rank > RankOtherText) {
			t.Fatalf("rank %d out of range", rank)
		}
		if q.Empty() == ok {
			// The key holds the query's own text: any query with a word
			// finds the text it was typed from, and one without none.
			t.Fatalf("query %q (words %q) against its own text: rank %d, %v", short(query), q.Words(), rank, ok)
		}
		for _, w := range q.Words() {
			if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !isWordRune(r) }) {
				t.Fatalf("query %q has the word %q: a query is only letters and digits", short(query), w)
			}
		}
		if q.Squashed() != strings.Join(q.Words(), "") {
			t.Fatalf("query %q squashes to %q, not its words %q joined", short(query), short(q.Squashed()), q.Words())
		}
		_ = key.Terms()

		exact := func(query string) {
			t.Helper()
			q := NewQuery(query)
			if q.Empty() || q.Squashed() != strings.Join(Words(title), "") {
				return
			}
			if rank, ok := q.Rank(key); !ok || rank != RankExactTitle {
				t.Fatalf("query %q (%q) against the title %q: rank %d, %v; want %d (the exact title)", short(query), short(q.Squashed()), short(title), rank, ok, RankExactTitle)
			}
		}
		exact(query)
		exact(title)
		exact(strings.Join(Words(title), " - "))
		exact(strings.ToLower(title))
	})
}

// short quotes at most the start of a long input in a failure message.
func short(s string) string {
	if len(s) <= 120 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:120], len(s))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// FuzzGlobalID: ParseGlobalID never panics and refuses with BAD_USER_INPUT;
// what it accepts names a known type and encodes back to an id it reads the
// same; GlobalID and ParseGlobalID round-trip for every type and id.
func FuzzGlobalID(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s, s)
	}
	f.Add(GlobalID(TypeRole, "0190c4a1-7f3e-7b5c-9d1e-2f3a4b5c6d7e"), "0190c4a1")
	f.Add(GlobalID(TypeTool, "a:b:c"), "a:b:c")
	f.Add(GlobalID("User", "1"), "1")
	f.Add(GlobalID(TypeRole, ""), "")
	f.Add("Um9sZTpl", "e")
	f.Add("Um9sZTpl=", "e")
	f.Add("Um9sZTpl\n", "e")
	f.Fuzz(func(t *testing.T, s, id string) {
		typ, raw, err := ParseGlobalID("id", s)
		if err != nil {
			if typ != "" || raw != "" || ErrorCodeOf(err) != CodeBadUserInput {
				t.Fatalf("ParseGlobalID(%q) = %q, %q, %v; want a BAD_USER_INPUT error alone", short(s), typ, short(raw), err)
			}
		} else {
			if !slices.Contains([]string{TypeRole, TypeTool, TypeResource, TypeAPIKey}, typ) || raw == "" {
				t.Fatalf("ParseGlobalID(%q) = %q, %q", short(s), typ, short(raw))
			}
			if typ2, raw2, err := ParseGlobalID("id", GlobalID(typ, raw)); err != nil || typ2 != typ || raw2 != raw {
				t.Fatalf("ParseGlobalID(%q) = %q, %q; its GlobalID reads %q, %q, %v", short(s), typ, short(raw), short(typ2), short(raw2), err)
			}
		}
		for _, typ := range []string{TypeRole, TypeTool, TypeResource, TypeAPIKey} {
			gid := GlobalID(typ, id)
			typ2, raw2, err := ParseGlobalID("id", gid)
			if id == "" {
				if err == nil {
					t.Fatalf("GlobalID(%q, \"\") = %q was accepted", typ, short(gid))
				}
				continue
			}
			if err != nil || typ2 != typ || raw2 != id {
				t.Fatalf("GlobalID(%q, %q) = %q reads %q, %q, %v", typ, short(id), short(gid), short(typ2), short(raw2), err)
			}
		}
	})
}

// validator is an input type with Validate.
type validator interface{ Validate() error }

// FuzzValidate decodes arbitrary JSON into each input type, as a client's
// variables would arrive, and checks that Validate never panics and that
// whatever it accepts really keeps the limits the schema documents.
func FuzzValidate(f *testing.F) {
	seeds := []string{
		``, `null`, `{}`, `[]`, `"x"`, `1e309`, `{"Slug": 5}`,
		`{"Slug": {"$gt": ""}, "Title": {"$ne": null}}`,
		`{"$where": "sleep(1000)", "Slug": "a"}`,
		`{"Slug":"back-end-developer","Title":"Back-End Developer","Family":"ENGINEERING","Tagline":"t","Description":"d",
		  "Skills":["s"],"Responsibilities":["r"],"ToolSlugs":["python","sql"],"Advantages":["a"],"Disadvantages":["d"],
		  "GoodFit":"g","Conclusion":"","LearningResourceSlugs":["sqlbolt"],
		  "Salary":{"Currency":"USD","Period":"YEAR","Min":1,"Median":2,"Max":3,"Region":"US","Basis":"Software Developers","Source":"x","SourceURL":"https://x.example","Year":2024}}`,
		`{"Slug":"ruby-on-rails","Name":"Ruby on Rails","Category":"API_FRAMEWORK","Description":"","URL":"https://rubyonrails.org"}`,
		`{"Slug":"sqlbolt","Title":"SQLBolt","Provider":"SQLBolt","URL":"https://sqlbolt.com/","Kind":"TUTORIAL","Free":true,"Description":"SQL."}`,
		`{"From":"data-analyst","To":"data-scientist","Kind":"NEXT_STEP","Note":"Grow"}`,
		`{"Name":"Editor Ada","Scopes":["WRITE","READ"],"ExpiresAt":"2099-01-01T00:00:00Z"}`,
		`{"Name":"k","Scopes":["READ"],"ExpiresAt":"2020-01-01T00:00:00Z"}`,
		`{"Slug":"a","Name":"A","Category":"OTHER","URL":"javascript:alert(1)"}`,
		`{"Slug":"a","Name":"A","Category":"OTHER","URL":"HTTP://A"}`,
		`{"Slug":"a","Name":"A","Category":"OTHER","URL":"http:///path"}`,
		`{"Slug":"a","Name":"A","Category":"OTHER","URL":"//example.com"}`,
		`{"Slug":"a","Title":"\u0000","Provider":"p","URL":"https://x.example","Kind":"BOOK","Description":"\t"}`,
		`{"From":"a","To":"a","Kind":"NEXT_STEP"}`,
		`{"Name":"\ud800","Scopes":["READ","READ"]}`,
		`{"Name":"` + strings.Repeat("é", MaxTitleLen) + `","Scopes":["ADMIN"]}`,
		`{"Name":"` + strings.Repeat("é", MaxTitleLen+1) + `","Scopes":["ADMIN"]}`,
		`{"Skills":[` + strings.Repeat(`"s",`, MaxItems) + `"s"]}`,
		`{"ToolSlugs":["python","python"]}`,
		`{"Salary":{"Currency":"usd","Min":-1,"Median":0,"Max":99999999999999999999}}`,
		`{"Salary":{"Currency":"ÜSD","Period":"YEAR","Min":1,"Median":1,"Max":1,"Region":"r","Source":"s","Year":2000}}`,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		"\xff\xfe",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inputs := []validator{&RoleInput{}, &ToolInput{}, &LearningResourceInput{}, &RelationInput{}, &KeyInput{}}
		for _, in := range inputs {
			if json.Unmarshal(data, in) != nil {
				continue
			}
			before := time.Now()
			err := deref(in).Validate()
			after := time.Now()
			if err != nil {
				checkValidationError(t, in, err)
				continue
			}
			if problems := keepsLimits(in, before, after); len(problems) > 0 {
				t.Fatalf("%T %.300s was accepted, but: %s", in, fmt.Sprintf("%+v", in), strings.Join(problems, "; "))
			}
		}
	})
}

// deref returns the value behind a pointer to an input, whose Validate has a
// value receiver.
func deref(in validator) validator {
	switch v := in.(type) {
	case *RoleInput:
		return *v
	case *ToolInput:
		return *v
	case *LearningResourceInput:
		return *v
	case *RelationInput:
		return *v
	case *KeyInput:
		return *v
	}
	panic("unknown input")
}

// checkValidationError: a refusal is a list of BAD_USER_INPUT errors, each
// naming its field, never quoting more than a little of what was sent.
func checkValidationError(t *testing.T, in validator, err error) {
	t.Helper()
	es, ok := err.(Errors)
	if !ok || len(es) == 0 || ErrorCodeOf(err) != CodeBadUserInput {
		t.Fatalf("%T: Validate returned %T %v; want Errors", in, err, err)
	}
	for _, e := range es {
		if e.Code != CodeBadUserInput || e.Field == "" || e.Message == "" {
			t.Fatalf("%T: error %+v; want BAD_USER_INPUT with a field and a message", in, e)
		}
		if len(e.Message) > 1000 {
			t.Fatalf("%T: a message of %d bytes: %.200q...", in, len(e.Message), e.Message)
		}
	}
}

// keepsLimits checks an accepted input against the limits the schema
// documents, written out again here rather than calling the checker.
func keepsLimits(in validator, before, after time.Time) []string {
	var p problems
	switch v := in.(type) {
	case *RoleInput:
		p.slug("slug", v.Slug)
		p.text("title", v.Title, 1, MaxTitleLen)
		p.check(v.Family.Valid(), "family %q", v.Family)
		p.text("tagline", v.Tagline, 1, MaxTaglineLen)
		p.text("description", v.Description, 1, MaxDescriptionLen)
		p.list("skills", v.Skills, 1, MaxItems, MaxItemLen)
		p.list("responsibilities", v.Responsibilities, 1, MaxItems, MaxItemLen)
		p.slugs("toolSlugs", v.ToolSlugs, MaxToolsPerRole)
		p.list("advantages", v.Advantages, 1, MaxItems, MaxItemLen)
		p.list("disadvantages", v.Disadvantages, 1, MaxItems, MaxItemLen)
		p.text("goodFit", v.GoodFit, 1, MaxGoodFitLen)
		p.text("conclusion", v.Conclusion, 0, MaxGoodFitLen)
		p.slugs("learningResourceSlugs", v.LearningResourceSlugs, MaxResourcesPer)
		p.check(len(v.Occupations) <= 10 && len(v.Sources) <= 20, "%d occupations, %d sources", len(v.Occupations), len(v.Sources))
		for _, o := range v.Occupations {
			p.check(regexp.MustCompile(`^([0-9]{2}-[0-9]{4}\.[0-9]{2}|[0-9]{4})$`).MatchString(o.Code), "occupation code %q", o.Code)
			p.check(strings.HasPrefix(o.URL, "https://"), "occupation url %q", o.URL)
		}
		for _, src := range v.Sources {
			p.check(strings.HasPrefix(src.URL, "https://"), "source url %q", src.URL)
		}
		if s := v.Salary; s != nil {
			p.check(len(s.Currency) == 3 && strings.Trim(s.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "", "salary.currency %q", s.Currency)
			p.check(s.Period == PeriodYear || s.Period == PeriodMonth || s.Period == PeriodHour, "salary.period %q", s.Period)
			p.check(0 < s.Median && s.Median <= 100_000_000, "salary.median %d", s.Median)
			p.check(s.Min == nil || (0 < *s.Min && *s.Min <= s.Median), "salary.min below 1 or above the median")
			p.check(s.Max == nil || (s.Median <= *s.Max && *s.Max <= 100_000_000), "salary.max below the median or too large")
			p.text("salary.region", s.Region, 1, MaxTitleLen)
			p.text("salary.basis", s.Basis, 1, 2*MaxTitleLen)
			p.text("salary.source", s.Source, 1, 2*MaxTitleLen)
			if s.SourceURL != "" {
				p.url("salary.sourceUrl", s.SourceURL)
			}
			p.check(s.Year >= 2000 && s.Year <= 2100, "salary.year %d", s.Year)
		}
	case *ToolInput:
		p.slug("slug", v.Slug)
		p.text("name", v.Name, 1, MaxTitleLen)
		p.check(v.Slug == Slugify(v.Name), "slug %q is not the name %q as a slug", v.Slug, v.Name)
		p.check(v.Category.Valid(), "category %q", v.Category)
		p.text("description", v.Description, 0, MaxShortTextLen)
		if v.URL != "" {
			p.url("url", v.URL)
		}
	case *LearningResourceInput:
		p.slug("slug", v.Slug)
		p.text("title", v.Title, 1, 2*MaxTitleLen)
		p.text("provider", v.Provider, 1, MaxTitleLen)
		p.url("url", v.URL)
		p.check(v.Kind.Valid(), "kind %q", v.Kind)
		p.text("description", v.Description, 1, MaxShortTextLen)
	case *RelationInput:
		p.slug("from", v.From)
		p.slug("to", v.To)
		p.check(v.From != v.To, "a role related to itself")
		p.check(v.Kind.Valid(), "kind %q", v.Kind)
		p.text("note", v.Note, 0, MaxNoteLen)
	case *KeyInput:
		p.text("name", v.Name, 1, MaxTitleLen)
		p.check(len(v.Scopes) > 0, "no scopes")
		for i, s := range v.Scopes {
			p.check(s == ScopeRead || s == ScopeWrite || s == ScopeAdmin, "scopes[%d] %q", i, s)
			p.check(!slices.Contains(v.Scopes[:i], s), "scopes[%d] %q repeated", i, s)
		}
		if e := v.ExpiresAt; e != nil {
			p.check(e.After(before) && !e.After(after.Add(MaxKeyLifetime)), "expiresAt %v", e)
		}
	}
	return p
}

type problems []string

func (p *problems) check(ok bool, format string, args ...any) {
	if !ok {
		*p = append(*p, fmt.Sprintf(format, args...))
	}
}

// text: valid UTF-8, minLen to maxLen characters, not blank when required,
// and no control characters but newlines and tabs.
func (p *problems) text(field, s string, minLen, maxLen int) {
	n := utf8.RuneCountInString(s)
	p.check(utf8.ValidString(s), "%s is not valid UTF-8", field)
	p.check(n >= minLen && n <= maxLen, "%s has %d characters, not %d to %d", field, n, minLen, maxLen)
	p.check(minLen == 0 || strings.TrimSpace(s) != "", "%s is blank", field)
	p.check(!strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }), "%s has a control character", field)
}

func (p *problems) list(field string, items []string, minItems, maxItems, maxLen int) {
	p.check(len(items) >= minItems && len(items) <= maxItems, "%s has %d items", field, len(items))
	for _, s := range items {
		p.text(field+"[]", s, 1, maxLen)
	}
}

// slug: lowercase ASCII letters and digits in words joined by single
// hyphens, at most MaxSlugLen bytes.
func (p *problems) slug(field, s string) {
	p.check(isSlug(s), "%s %q is not a slug", field, s)
}

// isSlug is ValidSlug written another way: words of lowercase ASCII letters
// and digits joined by single hyphens, at most MaxSlugLen bytes in all.
func isSlug(s string) bool {
	ok := s != "" && len(s) <= MaxSlugLen
	for _, word := range strings.Split(s, "-") {
		ok = ok && word != "" && strings.Trim(word, "abcdefghijklmnopqrstuvwxyz0123456789") == ""
	}
	return ok
}

func (p *problems) slugs(field string, slugs []string, maxItems int) {
	p.check(len(slugs) <= maxItems, "%s has %d items", field, len(slugs))
	for i, s := range slugs {
		p.slug(field, s)
		p.check(!slices.Contains(slugs[:i], s), "%s repeats %q", field, s)
	}
}

// url: an absolute http or https URL with a host, of at most MaxURLLen
// bytes: never javascript:, data: or a relative reference.
func (p *problems) url(field, s string) {
	u, err := url.Parse(s)
	lower := strings.ToLower(s)
	p.check(err == nil && u.Host != "" && (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) &&
		len(s) <= MaxURLLen, "%s %q is not an http or https URL", field, s)
}

// FuzzNormalizeEmail: no panic; an accepted address is trimmed, lowercase,
// at most MaxEmailLen bytes, one local part and one domain with a dot,
// nothing a mail header could be split with, and normalizing it again
// changes nothing.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	for _, s := range []string{
		"Ada@Example.com", "  ada.lovelace@x.co.uk ", "a+news@example.org", "ada@localhost", "Ada <ada@example.com>",
		"ada@example.com.", `"a@b"@example.com`, `"a b"@example.com`, "a@b@example.com", "a@b.co\nBcc: x@y.z",
		"a@b.co\r\n", "ADA@EXAMPLE.COM\x00", "ada@[127.0.0.1]", "ada@exa mple.com", "(comment)ada@example.com",
		"ada@example.com (Ada)", "über@bücher.de", "İ@example.com", "a@\u212a.com", "=?utf-8?q?ada?=@example.com",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com",
		strings.Repeat("a", 300) + "@example.com",
		"\ufeffada@example.com", "ada@example.com\u00a0", "\u0085ada@example.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeEmail("email", in)
		if err != nil {
			if out != "" || ErrorCodeOf(err) != CodeBadUserInput {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want a BAD_USER_INPUT error alone", short(in), short(out), err)
			}
			return
		}
		local, domain, _ := strings.Cut(out, "@")
		switch {
		case out != strings.TrimSpace(out):
			t.Fatalf("NormalizeEmail(%q) = %q: not trimmed", short(in), short(out))
		case out != strings.ToLower(out):
			t.Fatalf("NormalizeEmail(%q) = %q: not lowercase", short(in), short(out))
		case len(out) > MaxEmailLen:
			t.Fatalf("NormalizeEmail(%q) = %q: %d bytes", short(in), short(out), len(out))
		case !utf8.ValidString(out):
			t.Fatalf("NormalizeEmail(%q) = %q: not valid UTF-8", short(in), short(out))
		case strings.Count(out, "@") != 1 || local == "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, "."):
			t.Fatalf("NormalizeEmail(%q) = %q: want one local part, one @ and a domain with a dot inside", short(in), short(out))
		case strings.ContainsAny(out, " \t\r\n\x00<>,;\"()\\") || strings.ContainsAny(local, ":[]"):
			t.Fatalf("NormalizeEmail(%q) = %q: has a character that splits, quotes or comments an address", short(in), short(out))
		case strings.ContainsFunc(out, func(r rune) bool { return r < ' ' || r == 0x7f }):
			t.Fatalf("NormalizeEmail(%q) = %q: has a control character", short(in), short(out))
		}
		if again, err := NormalizeEmail("email", out); err != nil || again != out {
			t.Fatalf("NormalizeEmail(%q) = %q, but normalizing that gives %q, %v", short(in), short(out), short(again), err)
		}
	})
}
