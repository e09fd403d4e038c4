package model

import "testing"

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Ada@Example.com":         "ada@example.com",
		"  ada.lovelace@x.co.uk ": "ada.lovelace@x.co.uk",
		"a+news@example.org":      "a+news@example.org",
	} {
		if got, err := NormalizeEmail("email", in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ada", "ada@", "@example.com", "ada@localhost", "Ada <ada@example.com>",
		"ada@example.com.", `{"$gt":""}`, "a@b.co\nBcc: x@y.z", string(make([]byte, 300)) + "@example.com"} {
		if _, err := NormalizeEmail("email", in); ErrorCodeOf(err) != CodeBadUserInput {
			t.Errorf("NormalizeEmail(%q) error = %v, want BAD_USER_INPUT", in, err)
		}
	}
}
