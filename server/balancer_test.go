package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// The `scale` profile of docker-compose.yml (a replica set, two instances,
// nginx) needs a container engine to run whole. These tests check what can
// be checked without one: that the compose file and deploy/nginx.conf agree
// with each other and with the server's settings, and that the balancer's
// configuration works for real, with Debian's nginx in front of two server
// processes on one store process.

// composeService is the part of a docker-compose.yml service these tests read.
type composeService struct {
	Profiles    []string          `yaml:"profiles"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
}

// scaleProfile reads the services of docker-compose.yml's scale profile.
func scaleProfile(t *testing.T) map[string]composeService {
	t.Helper()
	raw, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Services map[string]composeService `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	scale := map[string]composeService{}
	for name, s := range file.Services {
		if slices.Contains(s.Profiles, "scale") {
			scale[name] = s
		}
	}
	return scale
}

var upstreamServer = regexp.MustCompile(`(?m)^\s*server\s+([\w.-]+):(\d+)\b`)

// TestComposeScaleProfileHangsTogether checks the names and settings that
// tie the scale profile together, which only a real `docker compose up`
// would otherwise find wrong.
func TestComposeScaleProfileHangsTogether(t *testing.T) {
	services := scaleProfile(t)
	conf, err := os.ReadFile("../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}

	// nginx balances over exactly the profile's server instances, on the
	// port they listen on by default.
	var upstreams, instances []string
	for _, m := range upstreamServer.FindAllStringSubmatch(string(conf), -1) {
		if m[2] != "8080" {
			t.Errorf("nginx sends to %s:%s, but the server listens on 8080 (FINDER_ADDR's default)", m[1], m[2])
		}
		upstreams = append(upstreams, m[1])
	}
	for name, s := range services {
		if s.Environment["MONGODB_URI"] != "" {
			instances = append(instances, name)
		}
	}
	slices.Sort(upstreams)
	slices.Sort(instances)
	if len(instances) < 2 || !slices.Equal(upstreams, instances) {
		t.Fatalf("nginx balances over %v; the scale profile's server instances are %v", upstreams, instances)
	}

	for _, name := range instances {
		env := services[name].Environment
		// Every variable is one the server reads.
		for k := range env {
			known := strings.HasPrefix(k, "MONGODB_") || slices.ContainsFunc(settings, func(s setting) bool { return s.name == k })
			if !known {
				t.Errorf("%s: %s is not a setting of the server", name, k)
			}
		}
		if _, err := loadConfig(func(k string) string {
			if strings.HasPrefix(env[k], "${") { // filled in by compose from the shell
				return ""
			}
			return env[k]
		}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		// Behind one proxy, the client is the address nginx saw; without
		// this every client would share nginx's rate-limit budget.
		if env["FINDER_TRUSTED_PROXY_HOPS"] != "1" {
			t.Errorf("%s: FINDER_TRUSTED_PROXY_HOPS is %q; behind nginx it must be 1", name, env["FINDER_TRUSTED_PROXY_HOPS"])
		}

		// The URI is one the driver accepts, names the replica set and its
		// members as the profile runs them, and asks for majority writes
		// and reads, so an acknowledged edit survives a failover.
		cs, err := connstring.ParseAndValidate(env["MONGODB_URI"])
		if err != nil {
			t.Fatalf("%s: MONGODB_URI: %v", name, err)
		}
		var members []string
		for member, s := range services {
			if i := slices.Index(s.Command, "--replSet"); i >= 0 {
				if s.Command[i+1] != cs.ReplicaSet {
					t.Errorf("%s runs replica set %q; the URI names %q", member, s.Command[i+1], cs.ReplicaSet)
				}
				members = append(members, member+":27017")
			}
		}
		hosts := slices.Sorted(slices.Values(cs.Hosts))
		slices.Sort(members)
		if len(members) != 3 || !slices.Equal(hosts, members) {
			t.Errorf("%s: the URI lists %v; the replica set's members are %v", name, hosts, members)
		}
		if cs.WString != "majority" || cs.ReadConcernLevel != "majority" {
			t.Errorf("%s: the URI asks for w=%q and readConcernLevel=%q; want majority for both", name, cs.WString, cs.ReadConcernLevel)
		}
		// mongo-init makes the same members one replica set.
		initScript := strings.Join(services["mongo-init"].Command, " ")
		for _, m := range append(members, `"`+cs.ReplicaSet+`"`) {
			if !strings.Contains(initScript, m) {
				t.Errorf("mongo-init's rs.initiate does not name %s", m)
			}
		}
	}
}

// TestTwoInstancesBehindNginx runs deploy/nginx.conf in Debian's nginx in
// front of two server processes on one store process, set up as the scale
// profile sets them up, and uses the platform through it as its clients do.
func TestTwoInstancesBehindNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	nginx := nginxPath(t)
	env := []string{"FINDER_RATE_ANONYMOUS=300"}
	for k, v := range scaleProfile(t)["finder-a"].Environment {
		switch k {
		case "MONGODB_URI", "FINDER_ADMIN_TOKEN", "FINDER_LOG_FORMAT": // the test's store and key; logs it can read
		default:
			env = append(env, k+"="+v)
		}
	}
	_, uri := startStore(t, t.TempDir())
	instA, a := startServer(t, uri, env...)
	_, b := startServer(t, uri, env...)
	lb := startNginx(t, nginx, a, b)

	var id struct{ Role struct{ ID string } }
	post(t, lb, `{ role(slug: "data-analyst") { id } }`, nil).Decode(t, &id)

	t.Run("reads reach both instances", func(t *testing.T) {
		before := []int{servedBy(t, a), servedBy(t, b)}
		for range 20 {
			getOK(t, lb+`/graphql?query={role(slug:"back-end-developer"){title}}`)
		}
		for i, u := range []string{a, b} {
			if n := servedBy(t, u) - before[i]; n < 3 {
				t.Errorf("instance %s served %d of 20 reads through nginx; the balancer should share them", u, n)
			}
		}
	})

	t.Run("an edit through the balancer is served by every instance within two seconds", func(t *testing.T) {
		in := newRole("data-analyst")
		in["title"] = "Data Analyst (edited behind nginx)"
		postAs(t, lb, adminToken, `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in, expectedVersion: 1) { version } }`,
			map[string]any{"id": id.Role.ID, "in": in}).Decode(t, &struct{}{})
		time.Sleep(2 * time.Second)
		for _, u := range []string{a, b, lb, lb, lb, lb} {
			var got struct{ Role struct{ Title string } }
			post(t, u, `{ role(slug: "data-analyst") { title } }`, nil).Decode(t, &got)
			if got.Role.Title != in["title"] {
				t.Errorf("%s serves %q two seconds after the edit", u, got.Role.Title)
			}
		}
	})

	t.Run("links name the balancer's address", func(t *testing.T) {
		// A partner asks for a card by the public address; the instance
		// sees the Host nginx passes on, which must keep the port.
		page := lb + "/roles/back-end-developer"
		body := getOK(t, lb+"/oembed?url="+url.QueryEscape(page))
		if !strings.Contains(body, lb+"/embed/roles/back-end-developer") {
			t.Errorf("oEmbed through nginx does not link the card at %s:\n%s", lb, body)
		}
	})

	t.Run("rate limits are per client, not per balancer", func(t *testing.T) {
		// Both clients reach nginx from loopback, at different addresses.
		first, second := clientFrom("127.0.0.2"), clientFrom("127.0.0.3")
		query := lb + `/graphql?query={roles(first:20){nodes{title}}}`
		refusedInARow := 0
		for i := 0; refusedInARow < 4; i++ {
			if i == 400 {
				t.Fatal("400 requests from one client were never refused; the budget is 300 cost points a minute")
			}
			if status(first, query) == http.StatusTooManyRequests {
				refusedInARow++
			} else {
				refusedInARow = 0
			}
		}
		for range 4 {
			if got := status(second, query); got != http.StatusOK {
				t.Fatalf("another client is answered %d once the first has spent its budget: the instances see nginx, not the clients", got)
			}
		}
	})

	t.Run("an instance that dies is skipped", func(t *testing.T) {
		// A client reads every 10 ms, within its budget, while an instance
		// is killed; nginx must send every read to the other.
		failures := map[int]int{}
		killed := make(chan struct{})
		go func() {
			time.Sleep(300 * time.Millisecond)
			instA.stop(t, syscall.SIGKILL)
			close(killed)
		}()
		for range 100 {
			if got := status(http.DefaultClient, lb+`/graphql?query={role(slug:"back-end-developer"){title}}`); got != http.StatusOK {
				failures[got]++
			}
			time.Sleep(10 * time.Millisecond)
		}
		<-killed
		if len(failures) > 0 {
			t.Errorf("reads failed through nginx while an instance died (status: count, 0 for no answer): %v", failures)
		}
		// Edits go on, on the instance that is left.
		in := newRole("data-analyst")
		postAs(t, lb, adminToken, `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in, expectedVersion: 2) { version } }`,
			map[string]any{"id": id.Role.ID, "in": in}).Decode(t, &struct{}{})
	})
}

// nginxPath finds nginx, or skips the test (fails it when the balancer
// tests are required, as in CI).
func nginxPath(t *testing.T) string {
	path, err := exec.LookPath("nginx")
	if err != nil {
		path = "/usr/sbin/nginx" // not on a non-root PATH
		if _, err = os.Stat(path); err != nil {
			msg := "no nginx: install Debian's nginx-light package (apt-get install nginx-light)"
			if os.Getenv("FINDER_NGINX_TESTS") == "required" {
				t.Fatal("the balancer tests are required (FINDER_NGINX_TESTS=required), but there is " + msg)
			}
			t.Skip("balancer test skipped: " + msg)
		}
	}
	return path
}

// startNginx runs deploy/nginx.conf on a free loopback port, its upstream
// servers replaced by the instances at a and b, and returns its URL.
func startNginx(t *testing.T, nginx, a, b string) string {
	t.Helper()
	site, err := os.ReadFile("../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	instances := []string{strings.TrimPrefix(a, "http://"), strings.TrimPrefix(b, "http://")}
	i := 0
	conf := upstreamServer.ReplaceAllStringFunc(string(site), func(line string) string {
		i++
		return strings.Replace(line, upstreamServer.FindStringSubmatch(line)[1]+":8080", instances[(i-1)%2], 1)
	})
	conf = regexp.MustCompile(`(?m)^(\s*)listen\s+80;`).ReplaceAllString(conf, "${1}listen "+addr+";")
	dir := t.TempDir()
	// One process, in the foreground, writing only under dir.
	main := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    scgi_temp_path %[1]s/scgi;
    uwsgi_temp_path %[1]s/uwsgi;
%[2]s
}
`, dir, conf)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf"))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			lines := strings.Split(strings.TrimSpace(out.String()+string(log)), "\n")
			t.Logf("nginx, the last lines:\n%s", strings.Join(lines[max(0, len(lines)-20):], "\n"))
		}
	})
	lb := "http://" + addr
	waitFor(t, 30*time.Second, "nginx and both instances ready", func() bool {
		select {
		case <-exited:
			t.Fatalf("nginx exited:\n%s", out)
		default:
		}
		return status(http.DefaultClient, lb+"/readyz") == http.StatusOK
	})
	return lb
}

// clientFrom is an HTTP client whose connections come from the loopback
// address ip.
func clientFrom(ip string) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}, Timeout: 10 * time.Second}
}

// status is the status of a GET, or 0 when the request failed.
func status(c *http.Client, u string) int {
	resp, err := c.Get(u)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// getOK is the body of a GET that must answer 200.
func getOK(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", u, resp.Status, body)
	}
	return string(body)
}

var graphqlRequests = regexp.MustCompile(`(?m)^finder_http_requests_total\{[^}]*route="/graphql"[^}]*\} (\d+)`)

// servedBy is how many GraphQL requests the instance at u has answered.
func servedBy(t *testing.T, u string) int {
	t.Helper()
	total := 0
	for _, m := range graphqlRequests.FindAllStringSubmatch(getOK(t, u+"/metrics"), -1) {
		var n int
		fmt.Sscan(m[1], &n)
		total += n
	}
	return total
}
