package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/finder-platform/finder/model"
)

// TestSecretsStayOutOfLogsErrorsAndMetrics runs the life of every secret
// the platform handles (the bootstrap admin token, an API key's secret,
// newsletter unsubscribe tokens) through a server that logs everything
// (debug level, access log on): making a key, using it, revoking it and
// using it again, wrong and malformed keys, subscribing and unsubscribing,
// and validation errors with a secret inside a field. Then it checks that
// no secret appears in the log, in /metrics, or in any answer but the one
// that hands it out, and that the subscriber's address is not logged.
func TestSecretsStayOutOfLogsErrorsAndMetrics(t *testing.T) {
	admin := model.NewSecret("adm_")
	a, logs := newTestApp(t, testEnv(t, "FINDER_ADMIN_TOKEN", admin, "FINDER_LOG_LEVEL", "debug",
		"FINDER_ACCESS_LOG", "true", "FINDER_RATE_ANONYMOUS", "0"))
	url := httpTestServer(t, a)

	// answers are every body and header the server sent, but for the two
	// answers whose job is to hand a secret out.
	var answers []string
	send := func(method, path, auth, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var h bytes.Buffer
		_ = resp.Header.Write(&h)
		answers = append(answers, h.String()+"\n"+string(b))
		return resp.StatusCode, string(b)
	}
	gql := func(auth, query string, vars map[string]any) (int, gqlResponse) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		status, raw := send(http.MethodPost, "/graphql", auth, string(body))
		var r gqlResponse
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			t.Fatalf("not JSON: %v: %s", err, raw)
		}
		r.Status = status
		return status, r
	}
	handedOut := func() { answers = answers[:len(answers)-1] } // the last answer carried a secret by design

	// A key: made, used, refused a scope, revoked, used again.
	var made struct {
		CreateApiKey struct {
			Secret string
			ApiKey struct{ ID string }
		}
	}
	_, r := gql("Bearer "+admin, `mutation { createApiKey(input: {name: "Partner key", scopes: [READ]}) { secret apiKey { id } } }`, nil)
	r.Decode(t, &made)
	handedOut()
	key := made.CreateApiKey.Secret
	if !strings.HasPrefix(key, "fk_") {
		t.Fatalf("key secret %q", key)
	}
	if _, r := gql("Bearer "+key, `{ viewer { name } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("the new key: %+v", r.Errors)
	}
	send(http.MethodGet, `/graphql?query=%7B%20role(slug%3A%20%22data-analyst%22)%20%7B%20title%20%7D%20%7D`, "Bearer "+key, "")
	gql("Bearer "+key, `{ apiKeys { totalCount } }`, nil) // FORBIDDEN: a READ key
	gql("Bearer "+admin, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": made.CreateApiKey.ApiKey.ID})
	if status, _ := gql("Bearer "+key, `{ viewer { name } }`, nil); status != http.StatusUnauthorized {
		t.Errorf("the revoked key answered %d", status)
	}

	// Wrong keys, near misses and malformed headers.
	for _, auth := range []string{"Bearer " + key + "x", "Bearer " + admin + "x", "Bearer " + strings.ToUpper(admin),
		"Basic " + admin, "Bearer", "Bearer " + admin + " " + key, admin, "Token " + key} {
		if status, _ := gql(auth, `{ viewer { name } }`, nil); status != http.StatusUnauthorized {
			t.Errorf("Authorization %q answered %d", auth, status)
		}
	}

	// The newsletter: subscribe twice (a new token each time), unsubscribe
	// with the old token, then the current one.
	const email = "Ada.Secret+finder@Example.org"
	const sub = `mutation($e: String!) { subscribeNewsletter(email: $e, consent: true) { email unsubscribeToken } }`
	var first, second struct {
		SubscribeNewsletter struct{ Email, UnsubscribeToken string }
	}
	_, r = gql("", sub, map[string]any{"e": email})
	r.Decode(t, &first)
	handedOut()
	_, r = gql("", sub, map[string]any{"e": strings.ToLower(email)})
	r.Decode(t, &second)
	handedOut()
	tokens := []string{first.SubscribeNewsletter.UnsubscribeToken, second.SubscribeNewsletter.UnsubscribeToken}
	const unsub = `mutation($t: String!) { unsubscribeNewsletter(token: $t) }`
	for _, token := range append(tokens, tokens[1]+"x") {
		gql("", unsub, map[string]any{"t": token})
	}
	gql("", sub, map[string]any{"e": email + "\nBcc: " + key}) // a malformed address

	// Validation errors with secrets inside the fields' values.
	for _, secret := range []string{key, admin, tokens[1]} {
		gql("Bearer "+admin, `mutation($s: String!) { createTool(input: {slug: $s, name: $s, category: OTHER}) { id } }`, map[string]any{"s": secret})
		gql("Bearer "+admin, `mutation($s: String!) { createTool(input: {slug: "probe", name: "Probe", category: OTHER, url: $s}) { id } }`, map[string]any{"s": secret})
		in := newRole(secret)
		in["toolSlugs"] = []string{"python", secret}
		gql("Bearer "+admin, `mutation($in: RoleInput!) { createRole(input: $in) { id } }`, map[string]any{"in": in})
		gql("Bearer "+admin, `mutation($s: String!) { relateRoles(from: $s, to: "data-analyst", kind: NEXT_STEP) { kind } }`, map[string]any{"s": secret})
		gql("", `query($s: String!) { careerPath(from: $s, to: "data-analyst") { totalNewTools } compareRoles(slugs: [$s, $s]) { roles { slug } } }`, map[string]any{"s": secret})
		gql("", `query($s: String!) { matchRoles(toolSlugs: [$s]) { score } }`, map[string]any{"s": secret})
		gql("", `query($s: String!) { roles(filter: {usesTools: [$s]}) { totalCount } }`, map[string]any{"s": secret})
		gql("", `query($s: ID!) { node(id: $s) { id } }`, map[string]any{"s": secret})
		gql("", `query($s: String!) { roles(after: $s) { totalCount } }`, map[string]any{"s": secret})
		gql("", `query($s: String!) { __typename }`, map[string]any{"s": secret}) // an unused variable
		gql("Bearer "+admin, `mutation($s: String!) { createApiKey(input: {name: $s, scopes: [READ, READ]}) { id } }`, map[string]any{"s": secret})
		// Literals of the wrong type: gqlparser's messages quote them.
		gql("", fmt.Sprintf(`{ roles(first: %q) { totalCount } }`, secret), nil)
		gql("", `query($n: Int) { roles(first: $n) { totalCount } }`, map[string]any{"n": secret})
		gql("", fmt.Sprintf(`{ roles(filter: {family: %s}) { totalCount } }`, strings.ReplaceAll(secret, "-", "_")), nil)
	}

	_, metricsText := send(http.MethodGet, "/metrics", "", "")
	if !strings.Contains(metricsText, "finder_http_requests_total") {
		t.Fatalf("/metrics: %.300s", metricsText)
	}
	logText := logs.String()
	if !strings.Contains(logText, "msg=request") || !strings.Contains(logText, "path=/graphql") {
		t.Fatalf("the access log is missing; the test would prove nothing:\n%.2000s", logText)
	}

	secrets := map[string]string{"the admin token": admin, "the API key": key, "the first unsubscribe token": tokens[0], "the second unsubscribe token": tokens[1]}
	noSecrets := func(t *testing.T, where, text string) {
		t.Helper()
		lower := strings.ToLower(text)
		for name, secret := range secrets {
			// The secret as sent, or lowercased as a slug or an address would be.
			if strings.Contains(text, secret) || strings.Contains(lower, strings.ToLower(secret)) {
				t.Errorf("%s appears in %s:\n%s", name, where, excerpt(text, secret))
			}
		}
	}
	t.Run("log", func(t *testing.T) {
		noSecrets(t, "the log", logText)
		for _, address := range []string{email, "ada.secret"} {
			if strings.Contains(strings.ToLower(logText), strings.ToLower(address)) {
				t.Errorf("the subscriber's address %q appears in the log:\n%s", address, excerpt(logText, address))
			}
		}
	})
	t.Run("metrics", func(t *testing.T) {
		noSecrets(t, "/metrics", metricsText)
		if strings.Contains(strings.ToLower(metricsText), "ada.secret") {
			t.Errorf("the subscriber's address appears in /metrics:\n%s", excerpt(metricsText, "ada.secret"))
		}
	})
	t.Run("answers", func(t *testing.T) {
		for i, answer := range answers {
			noSecrets(t, fmt.Sprintf("answer %d", i+1), answer)
		}
	})
}

// excerpt shows where s appears in text (case aside).
func excerpt(text, s string) string {
	i := strings.Index(strings.ToLower(text), strings.ToLower(s))
	if i < 0 {
		return "(found only in part)"
	}
	return text[max(0, i-300):min(len(text), i+len(s)+300)]
}

// TestConfigNeverQuotesATokenOfTheWrongLength covers the admin token's
// other refusals than TestConfigNeverQuotesASecret's spaces: too short,
// too long, and with a newline or a tab, which would split a log line.
func TestConfigNeverQuotesATokenOfTheWrongLength(t *testing.T) {
	random := func() string { return model.NewSecret("")[:20] }
	for _, token := range []string{
		random(),
		strings.Repeat(random(), 11),
		random() + "\n" + random(),
		random() + "\t" + random(),
	} {
		_, err := loadConfig(func(k string) string {
			if k == "FINDER_ADMIN_TOKEN" {
				return token
			}
			return ""
		})
		if err == nil {
			t.Errorf("token %q accepted", token)
			continue
		}
		msg := err.Error()
		// No run of 8 characters of the token is in the message.
		for i := 0; i+8 <= len(token); i++ {
			if strings.Contains(msg, token[i:i+8]) {
				t.Errorf("refusing the token %q, the message quotes %q: %s", token, token[i:i+8], msg)
				break
			}
		}
		if !strings.HasPrefix(msg, "FINDER_ADMIN_TOKEN") || strings.Contains(msg, "\n") {
			t.Errorf("message %q: want one line naming FINDER_ADMIN_TOKEN", msg)
		}
	}
}
