package model

import "testing"

func TestValidSlug(t *testing.T) {
	for _, tc := range []struct {
		slug string
		want bool
	}{
		{"back-end-developer", true},
		{"c-plus-plus", true},
		{"web3", true},
		{"a", true},
		{"", false},
		{"Back-End", false},
		{"back--end", false},
		{"-back", false},
		{"back-", false},
		{"back_end", false},
		{"back end", false},
		{"$where", false},
		{"ünicode", false},
		{string(make([]byte, MaxSlugLen+1)), false},
	} {
		if got := ValidSlug(tc.slug); got != tc.want {
			t.Errorf("ValidSlug(%q) = %v, want %v", tc.slug, got, tc.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for name, want := range map[string]string{
		"Ruby on Rails":         "ruby-on-rails",
		"Back-End Developer":    "back-end-developer",
		"Node.js":               "node-js",
		"C++":                   "c-plus-plus",
		"C#":                    "c-sharp",
		".NET":                  "dot-net",
		"IDEs":                  "ides",
		"  Google Cloud  ":      "google-cloud",
		"AT&T":                  "at-and-t",
		"Amazon Web Services!!": "amazon-web-services",
		// generated roles' titles (catalog.GeneratedTitle)
		"Senior Payments Data Engineer 17":              "senior-payments-data-engineer-17",
		"Lead Public Sector Back-End Developer 3":       "lead-public-sector-back-end-developer-3",
		"Chief Media AR/VR Developer 1000":              "chief-media-ar-vr-developer-1000",
		"Staff Gaming Chief Technology Officer (CTO) 2": "staff-gaming-chief-technology-officer-cto-2",
	} {
		if got := Slugify(name); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", name, got, want)
		}
		if !ValidSlug(Slugify(name)) {
			t.Errorf("Slugify(%q) is not a valid slug", name)
		}
	}
}
