package edge

import (
	"net/http"
	"strings"
	"testing"
)

func TestCORS(t *testing.T) {
	url := sharedEdge(t).URL
	keyedURL := newTestEdge(t, 0, func(d *Deps) {
		d.Config.AdminToken, d.Config.CORSOrigins = adminToken, []string{"https://admin.example"}
	}).URL
	do := func(base, method, origin string, headers map[string]string) *http.Response {
		t.Helper()
		body := strings.NewReader(`{"query":"{ viewer { name } }"}`)
		req, _ := http.NewRequest(method, base+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, tc := range []struct {
		name, base, method, origin string
		headers                    map[string]string
		status                     int
		allowOrigin                string
	}{
		{"read from anywhere", url, "POST", "https://partner.example", nil, 200, "*"},
		{"read preflight", url, "OPTIONS", "https://partner.example", map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}, 204, "*"},
		{"no origin", url, "POST", "", nil, 200, ""},
		{"key preflight from elsewhere", keyedURL, "OPTIONS", "https://evil.example", map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}, 204, ""},
		{"key from elsewhere", keyedURL, "POST", "https://evil.example", map[string]string{"Authorization": "Bearer " + adminToken}, 403, ""},
		{"key preflight from allowed", keyedURL, "OPTIONS", "https://admin.example", map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}, 204, "https://admin.example"},
		{"key from allowed", keyedURL, "POST", "https://admin.example", map[string]string{"Authorization": "Bearer " + adminToken}, 200, "https://admin.example"},
		{"key without origin (not a browser)", keyedURL, "POST", "", map[string]string{"Authorization": "Bearer " + adminToken}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := do(tc.base, tc.method, tc.origin, tc.headers)
			if resp.StatusCode != tc.status || resp.Header.Get("Access-Control-Allow-Origin") != tc.allowOrigin {
				t.Errorf("%d with Allow-Origin %q; want %d with %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), tc.status, tc.allowOrigin)
			}
			if expose := resp.Header.Get("Access-Control-Expose-Headers"); tc.method == "POST" && tc.allowOrigin != "" &&
				!(strings.Contains(expose, "X-Request-Id") && strings.Contains(expose, "X-RateLimit-Remaining") && strings.Contains(expose, "X-Cache")) {
				t.Errorf("a page may not read the answer's headers: Access-Control-Expose-Headers %q", expose)
			}
			if tc.method == "OPTIONS" && tc.allowOrigin != "" && !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("preflight allows methods %q", resp.Header.Get("Access-Control-Allow-Methods"))
			}
		})
	}
}
