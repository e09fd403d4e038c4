package main

import (
	"strings"
	"testing"
	"time"
)

func TestKeysExpire(t *testing.T) {
	url := editServer(t)
	var made struct{ CreateApiKey struct{ Secret string } }
	expires := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	postAs(t, url, adminToken, `mutation($at: DateTime!) { createApiKey(input: {name: "Short", scopes: [READ], expiresAt: $at}) { secret } }`,
		map[string]any{"at": expires}).Decode(t, &made)
	if r := postAs(t, url, made.CreateApiKey.Secret, `{ viewer { name } }`, nil); r.Status != 200 {
		t.Fatalf("a fresh key answered %d %v", r.Status, r.Codes())
	}
	time.Sleep(2 * time.Second)
	if r := postAs(t, url, made.CreateApiKey.Secret, `{ viewer { name } }`, nil); r.Status != 401 || !strings.Contains(r.Errors[0].Message, "expired") {
		t.Errorf("an expired key answered %d %+v", r.Status, r.Errors)
	}
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	postAs(t, url, adminToken, `mutation($at: DateTime!) { createApiKey(input: {name: "Past", scopes: [READ], expiresAt: $at}) { secret } }`,
		map[string]any{"at": past}).OnlyCode(t, "BAD_USER_INPUT")
}
