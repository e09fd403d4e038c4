package catalog

import (
	"strings"

	"github.com/finder-platform/finder/model"
)

// The shapes of the YAML files. Field names are the GraphQL input's, so an
// entry reads like the mutation that would create it.

type toolFile struct {
	Slug        string             `yaml:"slug"`
	Name        string             `yaml:"name"`
	Category    model.ToolCategory `yaml:"category"`
	Description string             `yaml:"description"`
	URL         string             `yaml:"url"`
}

func (t toolFile) input() model.ToolInput {
	return model.ToolInput{Slug: t.Slug, Name: t.Name, Category: t.Category,
		Description: clean(t.Description), URL: t.URL}
}

type resourceFile struct {
	Slug        string             `yaml:"slug"`
	Title       string             `yaml:"title"`
	Provider    string             `yaml:"provider"`
	URL         string             `yaml:"url"`
	Kind        model.ResourceKind `yaml:"kind"`
	Free        bool               `yaml:"free"`
	Description string             `yaml:"description"`
}

func (r resourceFile) input() model.LearningResourceInput {
	return model.LearningResourceInput{Slug: r.Slug, Title: r.Title, Provider: r.Provider,
		URL: r.URL, Kind: r.Kind, Free: r.Free, Description: clean(r.Description)}
}

type salaryFile struct {
	Currency  string             `yaml:"currency"`
	Period    model.SalaryPeriod `yaml:"period"`
	Min       *int               `yaml:"min"`
	Median    int                `yaml:"median"`
	Max       *int               `yaml:"max"`
	Region    string             `yaml:"region"`
	Basis     string             `yaml:"basis"`
	Proxy     bool               `yaml:"proxy"`
	Source    string             `yaml:"source"`
	SourceURL string             `yaml:"sourceUrl"`
	Year      int                `yaml:"year"`
}

type occupationFile struct {
	System model.OccupationSystem    `yaml:"system"`
	Code   string                    `yaml:"code"`
	Title  string                    `yaml:"title"`
	Match  model.OccupationMatchKind `yaml:"match"`
	URL    string                    `yaml:"url"`
}

type sourceFile struct {
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	URL       string `yaml:"url"`
	Accessed  string `yaml:"accessed"`
}

// publisherFile is one publisher the catalog cites, with the hosts its
// pages are on.
type publisherFile struct {
	Name  string   `yaml:"name"`
	Hosts []string `yaml:"hosts"`
}

type relatedFile struct {
	Role string             `yaml:"role"`
	Kind model.RelationKind `yaml:"kind"`
	Note string             `yaml:"note"`
}

type roleFile struct {
	file              string
	Slug              string           `yaml:"slug"`
	Title             string           `yaml:"title"`
	Family            model.RoleFamily `yaml:"family"`
	Tagline           string           `yaml:"tagline"`
	Description       string           `yaml:"description"`
	Skills            []string         `yaml:"skills"`
	Responsibilities  []string         `yaml:"responsibilities"`
	Tools             []string         `yaml:"tools"`
	Advantages        []string         `yaml:"advantages"`
	Disadvantages     []string         `yaml:"disadvantages"`
	GoodFit           string           `yaml:"goodFit"`
	Conclusion        string           `yaml:"conclusion"`
	Salary            *salaryFile      `yaml:"salary"`
	LearningResources []string         `yaml:"learningResources"`
	Occupations       []occupationFile `yaml:"occupations"`
	Sources           []sourceFile     `yaml:"sources"`
	ReviewedOn        string           `yaml:"reviewedOn"`
	Related           []relatedFile    `yaml:"related"`
}

func (rf roleFile) input() model.RoleInput {
	in := model.RoleInput{
		Slug: rf.Slug, Title: rf.Title, Family: rf.Family,
		Tagline: clean(rf.Tagline), Description: clean(rf.Description),
		Skills: rf.Skills, Responsibilities: rf.Responsibilities, ToolSlugs: rf.Tools,
		Advantages: rf.Advantages, Disadvantages: rf.Disadvantages,
		GoodFit: clean(rf.GoodFit), Conclusion: clean(rf.Conclusion),
		LearningResourceSlugs: rf.LearningResources,
	}
	if s := rf.Salary; s != nil {
		in.Salary = &model.Salary{Currency: s.Currency, Period: s.Period, Min: s.Min,
			Median: s.Median, Max: s.Max, Region: s.Region, Basis: s.Basis, Proxy: s.Proxy,
			Source: s.Source, SourceURL: s.SourceURL, Year: s.Year}
	}
	for _, o := range rf.Occupations {
		in.Occupations = append(in.Occupations, model.OccupationMatch(o))
	}
	for _, s := range rf.Sources {
		in.Sources = append(in.Sources, model.Source{Title: s.Title, Publisher: s.Publisher, URL: s.URL, Accessed: model.Date(s.Accessed)})
	}
	if rf.ReviewedOn != "" {
		d := model.Date(rf.ReviewedOn)
		in.ReviewedOn = &d
	}
	return in
}

// clean trims the newline a YAML block scalar leaves at the end.
func clean(s string) string { return strings.TrimSpace(s) }
