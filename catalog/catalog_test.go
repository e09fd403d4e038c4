package catalog

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/finder-platform/finder/model"
)

func load(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogSize(t *testing.T) {
	c := load(t)
	if len(c.Roles) < 70 || len(c.Tools) < 150 || len(c.Resources) < 100 {
		t.Errorf("catalog has %d roles, %d tools, %d resources; want at least 70, 150, 100",
			len(c.Roles), len(c.Tools), len(c.Resources))
	}
	families := map[model.RoleFamily]int{}
	for _, r := range c.Roles {
		families[r.Family]++
	}
	for _, f := range model.RoleFamilies {
		if families[f] < 2 {
			t.Errorf("family %s has %d roles; want at least 2", f, families[f])
		}
	}
}

// TestEverySectionFilled checks what Load does not insist on for editors but
// the shipped catalog promises: every role links to tools, resources and
// other roles, every tool and resource is used, every relation has a note.
func TestEverySectionFilled(t *testing.T) {
	c := load(t)
	related := map[string]int{}
	for _, rel := range c.Relations {
		related[rel.FromID]++
		related[rel.ToID]++
		if rel.Note == "" {
			t.Errorf("relation %s has no note", rel.ID)
		}
	}
	usedTools, usedResources := map[string]bool{}, map[string]bool{}
	for _, r := range c.Roles {
		if len(r.ToolIDs) < 5 || len(r.ResourceIDs) < 2 || related[r.ID] == 0 || r.Conclusion == "" {
			t.Errorf("%s: %d tools, %d resources, %d related roles, conclusion %t; want at least 5, 2, 1 and a conclusion",
				r.Slug, len(r.ToolIDs), len(r.ResourceIDs), related[r.ID], r.Conclusion != "")
		}
		for _, id := range r.ToolIDs {
			usedTools[id] = true
		}
		for _, id := range r.ResourceIDs {
			usedResources[id] = true
		}
	}
	for _, tool := range c.Tools {
		if !usedTools[tool.ID] {
			t.Errorf("tool %s is used by no role", tool.Slug)
		}
	}
	for _, res := range c.Resources {
		if !usedResources[res.ID] {
			t.Errorf("learning resource %s is used by no role", res.Slug)
		}
	}
}

func TestBackEndDeveloperIsTheSeedPage(t *testing.T) {
	c := load(t)
	i := slices.IndexFunc(c.Roles, func(r model.Role) bool { return r.Slug == "back-end-developer" })
	if i < 0 {
		t.Fatal("no back-end-developer")
	}
	r := c.Roles[i]
	if r.Title != "Back-End Developer" || len(r.Skills) != 8 || len(r.Responsibilities) != 5 ||
		len(r.Advantages) != 5 || len(r.Disadvantages) != 5 {
		t.Errorf("back-end-developer: %q with %d skills, %d responsibilities, %d advantages, %d disadvantages",
			r.Title, len(r.Skills), len(r.Responsibilities), len(r.Advantages), len(r.Disadvantages))
	}
	// The seed page's "Salary expectations" section is only a heading: the
	// role's pay is BLS's for the occupation that includes it.
	if s := r.Salary; s == nil || s.Basis != "Software Developers" || !s.Proxy || s.Median != 133080 {
		t.Errorf("back-end-developer's salary: %+v, want BLS's Software Developers figures, as a proxy", s)
	}
	tools := names(c, r.ToolIDs)
	want := []string{"Java", "Python", "Ruby", "PHP", "MySQL", "MongoDB", "Oracle", "Apache",
		"Nginx", "Django", "Flask", "Ruby on Rails", "Git", "Docker", "IDEs"}
	if !slices.Equal(tools, want) {
		t.Errorf("tools = %v, want %v", tools, want)
	}
	var resources []string
	for _, id := range r.ResourceIDs {
		j := slices.IndexFunc(c.Resources, func(x model.LearningResource) bool { return x.ID == id })
		resources = append(resources, c.Resources[j].Title)
	}
	if want := []string{"Codecademy", "freeCodeCamp", "SQLBolt", "The Backend Engineering Show with Hussein Nasser"}; !slices.Equal(resources, want) {
		t.Errorf("resources = %v, want %v", resources, want)
	}
	var relatedTo []string
	for _, rel := range c.Relations {
		if rr, ok := model.RelationFrom(rel, r.ID); ok {
			relatedTo = append(relatedTo, rr.RoleID)
		}
	}
	for _, slug := range []string{"front-end-developer", "full-stack-developer"} {
		if !slices.Contains(relatedTo, ID("role", slug)) {
			t.Errorf("back-end-developer is not related to %s", slug)
		}
	}

	// Every sentence must stand word for word on the page the role comes
	// from.
	seed, err := os.ReadFile("testdata/back-end-developer-seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Join(strings.Fields(string(seed)), " ")
	texts := slices.Concat(r.Skills, r.Responsibilities, r.Advantages, r.Disadvantages,
		strings.Split(r.Description, "\n\n"), strings.Split(r.GoodFit, "\n\n"),
		[]string{r.Tagline, r.Conclusion})
	for _, s := range texts {
		if !strings.Contains(page, strings.Join(strings.Fields(s), " ")) {
			t.Errorf("not on the seed page: %q", s)
		}
	}
}

func names(c *Catalog, ids []string) []string {
	var out []string
	for _, id := range ids {
		j := slices.IndexFunc(c.Tools, func(x model.Tool) bool { return x.ID == id })
		out = append(out, c.Tools[j].Name)
	}
	return out
}

func TestStableIDs(t *testing.T) {
	a, b := load(t), load(t)
	if a.Roles[0].ID != b.Roles[0].ID || a.Roles[0].ID != ID("role", a.Roles[0].Slug) {
		t.Error("ids differ between loads")
	}
}

func TestBrokenCatalogNamesTheFault(t *testing.T) {
	tools := `- {slug: git, name: Git, category: DEVELOPMENT_TOOL, url: "https://git-scm.com/"}`
	resources := `- {slug: sqlbolt, title: SQLBolt, provider: SQLBolt, url: "https://sqlbolt.com/", kind: TUTORIAL, description: SQL lessons}`
	role := func(slug, extra string) string {
		return "slug: " + slug + "\ntitle: T\nfamily: DATA\ntagline: t\ndescription: d\nskills: [s]\n" +
			"responsibilities: [r]\ntools: [git]\nadvantages: [a]\ndisadvantages: [d]\ngoodFit: g\n" +
			"learningResources: [sqlbolt]\n" + extra
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown tool", map[string]string{"roles/a.yaml": strings.Replace(role("a", ""), "[git]", "[gti]", 1)},
			`roles/a.yaml: tools[0]: no tool has the slug "gti"`},
		{"unknown related role", map[string]string{"roles/a.yaml": role("a", "related: [{role: b, kind: NEXT_STEP, note: n}]")},
			`roles/a.yaml: related[0].role: no role has the slug "b"`},
		{"self link", map[string]string{"roles/a.yaml": role("a", "related: [{role: a, kind: NEXT_STEP, note: n}]")},
			`roles/a.yaml: related[0].to: must name a role other than "a"`},
		{"pair twice", map[string]string{
			"roles/a.yaml": role("a", "related: [{role: b, kind: NEXT_STEP, note: n}]"),
			"roles/b.yaml": role("b", "related: [{role: a, kind: PREVIOUS_STEP, note: n}]")},
			`roles/b.yaml: related[0]: "a" is already related to "b" in roles/a.yaml`},
		{"file name", map[string]string{"roles/x.yaml": role("a", "")},
			`roles/x.yaml: slug "a" must match the file name "x"`},
		{"unknown field", map[string]string{"roles/a.yaml": role("a", "salry: 3\n")},
			`roles/a.yaml`},
		{"bad family", map[string]string{"roles/a.yaml": strings.Replace(role("a", ""), "DATA", "ART", 1)},
			`roles/a.yaml: family: must be one of`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"publishers.yaml": {Data: []byte(`- {name: O*NET OnLine, hosts: [www.onetonline.org]}`)},
				"tools.yaml":      {Data: []byte(tools)},
				"resources.yaml":  {Data: []byte(resources)},
			}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := LoadFS(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	base := load(t)
	a, b := Generate(base, 300, 7), Generate(base, 300, 7)
	if len(a.Roles) != len(base.Roles)+300 || a.Roles[len(a.Roles)-1].ID != b.Roles[len(b.Roles)-1].ID {
		t.Fatalf("Generate gave %d roles, or differs between runs with one seed", len(a.Roles))
	}
	slugs, pairs := map[string]bool{}, map[string]bool{}
	for _, r := range a.Roles {
		if slugs[r.Slug] || !model.ValidSlug(r.Slug) {
			t.Errorf("slug %q repeated or invalid", r.Slug)
		}
		slugs[r.Slug] = true
	}
	for _, r := range a.Relations {
		key := model.PairKey(r.FromID, r.ToID)
		if pairs[key] || r.FromID == r.ToID {
			t.Errorf("relation %s repeats a pair or links a role to itself", r.ID)
		}
		pairs[key] = true
	}
}

func TestIsGeneratedTitle(t *testing.T) {
	for title, want := range map[string]bool{
		"Senior Payments Data Engineer 17": true,
		"Chief Technology Officer (CTO)":   false,
		"Senior Developer":                 false,
		"Data Engineer 2":                  false,
		"Web3 Developer":                   false,
	} {
		if got := IsGeneratedTitle(title); got != want {
			t.Errorf("IsGeneratedTitle(%q) = %v", title, got)
		}
	}
}

// TestUnsourcedRolesAreRefused loads catalogs with one fault in a role's
// provenance, and checks the loader refuses each, naming the role's file
// and the field.
func TestUnsourcedRolesAreRefused(t *testing.T) {
	publishers := `- {name: O*NET OnLine, hosts: [www.onetonline.org]}
- {name: U.S. Bureau of Labor Statistics, hosts: [www.bls.gov]}`
	tools := `- {slug: git, name: Git, category: DEVELOPMENT_TOOL, url: "https://git-scm.com/"}`
	resources := `- {slug: sqlbolt, title: SQLBolt, provider: SQLBolt, url: "https://sqlbolt.com/", kind: TUTORIAL, description: SQL lessons}`
	const sourced = `
salary: {currency: USD, period: YEAR, min: 1000, median: 2000, max: 3000, region: United States, basis: Software Developers,
  proxy: true, source: BLS, sourceUrl: "https://www.bls.gov/oes/2024/may/oes151252.htm", year: 2024}
occupations:
  - {system: ONET_SOC, code: 15-1252.00, title: Software Developers, match: BROADER, url: "https://www.onetonline.org/link/summary/15-1252.00"}
  - {system: ISCO_08, code: "2512", title: Software developers, match: BROADER, url: "https://www.onetonline.org/isco/2512"}
sources:
  - {title: Software Developers, publisher: O*NET OnLine, url: "https://www.onetonline.org/link/summary/15-1252.00", accessed: 2026-12-01}
reviewedOn: 2026-12-01
`
	role := func(slug, provenance, related string) string {
		return "slug: " + slug + "\ntitle: T\nfamily: DATA\ntagline: t\ndescription: d\nskills: [s]\n" +
			"responsibilities: [r]\ntools: [git]\nadvantages: [a]\ndisadvantages: [d]\ngoodFit: g\n" +
			"learningResources: [sqlbolt]\n" + provenance + related
	}
	step := "related: [{role: b, kind: NEXT_STEP, note: n}]\n"
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"well formed", "", ""},
		{"O*NET code", "15-1252.00, title", `roles/a.yaml: occupations[0].code: must be a ONET_SOC code`},
		{"ISCO code", `"2512", title`, `roles/a.yaml: occupations[1].code: must be a ISCO_08 code`},
		{"no ISCO code", `system: ISCO_08`, `roles/a.yaml: occupations: needs at least one ISCO_08 code`},
		{"salary order", "min: 1000", `roles/a.yaml: salary.min: must be from 1 to the median`},
		{"salary above", "max: 3000", `roles/a.yaml: salary.max: must be from the median`},
		{"no sources", "sources:", `roles/a.yaml: sources: needs at least one source`},
		{"no review day", "reviewedOn: 2026-12-01", `roles/a.yaml: reviewedOn: needs the day`},
		{"http source", `url: "https://www.onetonline.org/link/summary/15-1252.00", accessed`, `roles/a.yaml: sources[0].url: must be an https URL`},
		{"unlisted host", `sourceUrl: "https://www.bls.gov/`, `roles/a.yaml: salary.sourceUrl: "https://bls.example/`},
		{"unlisted publisher", "publisher: O*NET OnLine", `roles/a.yaml: sources[0].publisher: "O*NET Online"`},
		{"no career step", "NEXT_STEP", `roles/a.yaml: related: needs at least one career step`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := role("a", sourced, step)
			switch tc.name {
			case "well formed":
			case "O*NET code":
				a = strings.Replace(a, tc.edit, "15-1252, title", 1)
			case "ISCO code":
				a = strings.Replace(a, tc.edit, `"25120", title`, 1)
			case "no ISCO code":
				a = strings.Replace(a, tc.edit, "system: ONET_SOC", 1)
				a = strings.Replace(a, `code: "2512"`, `code: "15-1251.00"`, 1)
			case "salary order":
				a = strings.Replace(a, tc.edit, "min: 2500", 1)
			case "salary above":
				a = strings.Replace(a, tc.edit, "max: 1500", 1)
			case "no sources":
				a = strings.Replace(a, "sources:\n  - {title: Software Developers, publisher: O*NET OnLine, url: \"https://www.onetonline.org/link/summary/15-1252.00\", accessed: 2026-12-01}\n", "sources: []\n", 1)
			case "no review day":
				a = strings.Replace(a, tc.edit+"\n", "", 1)
			case "http source":
				a = strings.Replace(a, tc.edit, `url: "http://www.onetonline.org/link/summary/15-1252.00", accessed`, 1)
			case "unlisted host":
				a = strings.Replace(a, tc.edit, `sourceUrl: "https://bls.example/`, 1)
			case "unlisted publisher":
				a = strings.Replace(a, tc.edit, "publisher: O*NET Online", 1)
			case "no career step":
				a = strings.Replace(a, tc.edit, "COLLABORATES_WITH", 1)
			}
			fsys := fstest.MapFS{
				"publishers.yaml": {Data: []byte(publishers)},
				"tools.yaml":      {Data: []byte(tools)},
				"resources.yaml":  {Data: []byte(resources)},
				"roles/a.yaml":    {Data: []byte(a)},
				"roles/b.yaml":    {Data: []byte(role("b", sourced, ""))},
			}
			_, err := LoadFS(fsys)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("a well-formed catalog is refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
