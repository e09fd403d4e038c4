package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCommandLineErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"lode"}, `unknown command "lode"`},
		{[]string{"load", "-ops", "card,cards"}, `no operation "cards"`},
		{[]string{"load", "-concurrency", "0"}, "-concurrency"},
		{[]string{"load", "extra"}, "unexpected argument"},
		{[]string{"load", "-url", "https://example.com", "-duration", "1s"}, "plain HTTP/1.1"},
		{[]string{"compare", "one.json"}, "want pairs of files"},
		{[]string{"compare", "a.json", "b.json", "c.json"}, "want pairs of files"},
		{[]string{"load", "-max-pages", "0"}, "-max-pages"},
		{[]string{"ceiling", "-max-roles", "0"}, "-max-roles"},
		{[]string{"generate", "-token", ""}, "no token"},
	} {
		var out, errs bytes.Buffer
		err := runCommand(context.Background(), tc.args, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestCompareJoinsPairs compares two pairs of loads, one operation each, as
// run.sh writes them: the table has both operations, each beside its own
// ceiling.
func TestCompareJoinsPairs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, op string, rps float64) string {
		path := filepath.Join(dir, name)
		b, _ := json.Marshal(Report{URL: "http://" + name, Concurrency: 16, Duration: "10s", Warmup: "1s",
			Results: []Result{{Phase: "alone", Op: op, Requests: int(rps * 10), Seconds: 10, RPS: rps, P99Ms: 2}}})
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	args := []string{"compare", write("s1", "card", 800), write("c1", "card", 1000), write("s2", "page", 500), write("c2", "page", 1000)}
	var out, errs bytes.Buffer
	if err := runCommand(context.Background(), args, &out, &errs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"card", "800", "1000", "80%", "page", "500", "50%"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
	if !regexp.MustCompile(`(?m)^card .* ok$`).MatchString(out.String()) || !regexp.MustCompile(`(?m)^page .* MISS rps$`).MatchString(out.String()) {
		t.Errorf("the verdicts do not judge each operation against its own ceiling:\n%s", out.String())
	}
}

// TestCompareJoinsRounds compares two rounds of one operation: one row,
// whose rate is the rounds' requests over their time.
func TestCompareJoinsRounds(t *testing.T) {
	rows := joinRounds([]Result{
		{Phase: "alone", Op: "card", Requests: 1000, Seconds: 10, RPS: 100, P99Ms: 3, MaxMs: 9, DBCommandsPerRequest: ptr(0)},
		{Phase: "alone", Op: "page", Requests: 10, Seconds: 10, RPS: 1, P99Ms: 1},
		{Phase: "alone", Op: "card", Requests: 3000, Seconds: 10, RPS: 300, P99Ms: 5, MaxMs: 7, Errors: 1, DBCommandsPerRequest: ptr(2)},
		{Phase: "alone", Op: "card", Requests: 2000, Seconds: 10, RPS: 200, P99Ms: 4, MaxMs: 8, DBCommandsPerRequest: ptr(1)},
	})
	if len(rows) != 2 || rows[0].Op != "card" || rows[1].Op != "page" {
		t.Fatalf("rows %+v", rows)
	}
	c := rows[0]
	if c.Requests != 6000 || c.Seconds != 30 || c.RPS != 200 || c.P99Ms != 4 || c.MaxMs != 9 || c.Errors != 1 ||
		c.DBCommandsPerRequest == nil || *c.DBCommandsPerRequest != (0*1000+2*3000+1*2000)/6000.0 {
		t.Errorf("joined %+v (db %v)", c, *c.DBCommandsPerRequest)
	}
}
