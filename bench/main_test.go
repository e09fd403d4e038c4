package main

import (
	"bytes"
	"context"
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
		{[]string{"compare", "one.json"}, "want two files"},
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
