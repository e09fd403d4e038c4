package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/finder-platform/finder/graph/graphtest"
)

// send makes a request and returns its status, headers and body.
var send = graphtest.Send

// TestInternalErrorsAreMasked corrupts a document in the store so that
// reading it fails inside the driver, and checks the client sees a generic
// message with a request id, while the log has the driver's words.
func TestInternalErrorsAreMasked(t *testing.T) {
	env := testEnv(t, "FINDER_READ_FROM", "store")
	a, logs := newTestApp(t, env)
	srv := httpTestServer(t, a)
	client, err := mongo.Connect(options.Client().ApplyURI(env["MONGODB_URI"]))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	// A title that is a number cannot be decoded into a role.
	_, err = client.Database(env["MONGODB_DATABASE"]).Collection("roles").UpdateOne(context.Background(),
		bson.D{{Key: "slug", Value: "data-analyst"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "title", Value: 42}}}})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, srv, `{ role(slug: "data-analyst") { title } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Code() != "INTERNAL_SERVER_ERROR" {
		t.Fatalf("errors %+v", r.Errors)
	}
	msg, id := r.Errors[0].Message, r.Errors[0].Extensions["requestId"]
	for _, leak := range []string{"decode", "title", "int", "mongo", "store", ".go", "/"} {
		if strings.Contains(strings.ToLower(msg), leak) {
			t.Errorf("the message %q shows %q", msg, leak)
		}
	}
	if id == nil || !strings.Contains(msg, id.(string)) || !strings.Contains(logs.String(), id.(string)) ||
		!strings.Contains(logs.String(), "decod") {
		t.Errorf("request id %v: message %q; the log should hold it with the driver's error:\n%s", id, msg, logs)
	}
}

// TestOverloadIsRefusedQuickly lets one request run at a time, with no
// queue, and sends many at once: the others are refused at once with 503
// and Retry-After, rather than waiting.
func TestOverloadIsRefusedQuickly(t *testing.T) {
	_, srv := newTestServer(t, testEnv(t, "FINDER_MAX_CONCURRENT", "1", "FINDER_QUEUE_TIMEOUT", "0s",
		"FINDER_READ_FROM", "store", "FINDER_RATE_ANONYMOUS", "0"))
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	var slowestRefusal time.Duration
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			r := post(t, srv.URL, `{ roles(first: 50) { nodes { slug tools { name } relatedRoles { role { title } } } } }`, nil)
			mu.Lock()
			defer mu.Unlock()
			statuses[r.Status]++
			if r.Status == 503 {
				slowestRefusal = max(slowestRefusal, time.Since(start))
				if r.Errors[0].Code() != "SERVICE_UNAVAILABLE" {
					t.Errorf("503 with %v", r.Codes())
				}
			}
		}()
	}
	wg.Wait()
	if statuses[200] == 0 || statuses[503] == 0 || slowestRefusal > time.Second {
		t.Errorf("statuses %v, slowest refusal %v; want some served, some refused within a second", statuses, slowestRefusal)
	}
}

// TestShutdownLetsRequestsFinish sends slow requests, stops the server
// while they run, and checks that every one of them is answered, that new
// connections are refused, and that run returns without error.
func TestShutdownLetsRequestsFinish(t *testing.T) {
	env := map[string]string{"FINDER_DATA_DIR": t.TempDir(), "FINDER_READ_FROM": "store",
		"FINDER_LOADER_WAIT": "50ms", "FINDER_RATE_ANONYMOUS": "0", "FINDER_ACCESS_LOG": "false"}
	url, _, stop := startRun(t, env)
	const slow = `{ roles(first: 50) { nodes { slug tools { name } learningResources { title } relatedRoles { role { tools { name } } } } } }`
	var wg sync.WaitGroup
	results := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			results <- post(t, url, slow, nil).Status
			t.Logf("answered after %v", time.Since(start).Round(time.Millisecond))
		}()
	}
	time.Sleep(100 * time.Millisecond) // the requests are in flight
	stopped := make(chan error, 1)
	go func() { t.Log("stopping"); stopped <- stop() }()
	wg.Wait()
	close(results)
	for status := range results {
		if status != 200 {
			t.Errorf("a request in flight at shutdown answered %d", status)
		}
	}
	if err := <-stopped; err != nil {
		t.Errorf("run returned %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}
