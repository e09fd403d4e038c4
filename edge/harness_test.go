package edge

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/finder-platform/finder/catalog"
	"github.com/finder-platform/finder/graph"
	"github.com/finder-platform/finder/graph/graphtest"
	"github.com/finder-platform/finder/model"
	"github.com/finder-platform/finder/replica"
	"github.com/finder-platform/finder/respcache"
	"github.com/finder-platform/finder/store"
)

// The edge's tests serve the shipped catalog from memory: a replica loaded
// from catalog.Load, with no store behind it. What needs a store (edits,
// the change feed, a store that fails) is tested in server/.

// adminToken is the bootstrap key of the tests that set AdminToken.
const adminToken = "test-admin-token-0123456789abcdef"

// testConfig is the server's default settings, but with no rate limits:
// tests that want them set them.
func testConfig() Config {
	return Config{
		MaxConcurrent: 256, QueueTimeout: 250 * time.Millisecond, RequestTimeout: 10 * time.Second, MaxBodyBytes: 1 << 20,
		AuthFailures: 20, AccessLog: true, GraphiQL: true, Introspection: true,
		Limits: graph.Limits{MaxDepth: 15, MaxCost: 25000, MaxAliases: 30, MaxTokens: 5000},
		Stale:  2 * time.Second, MaxDataAge: 5 * time.Second,
	}
}

// testEdge is an edge over the shipped catalog in memory, served over real
// HTTP on loopback.
type testEdge struct {
	*Edge
	URL   string
	srv   *httptest.Server
	logs  *lockedBuffer // the error log and the access log
	keys  *memoryKeys
	cache *respcache.Cache
}

// newTestEdge serves the shipped catalog plus extra generated roles with
// the default settings and parts (testConfig, a response cache, keys in
// memory, a log the test can read), as edit changes them (edit may be nil).
func newTestEdge(t testing.TB, extra int, edit func(*Deps)) *testEdge {
	t.Helper()
	snap := memoryCatalog(t, extra)
	logs := &lockedBuffer{}
	keys := &memoryKeys{byHash: map[string]*model.APIKey{}}
	d := Deps{
		Config: testConfig(), Logger: slog.New(slog.NewTextHandler(logs, nil)), AccessLog: logs, Metrics: NewMetrics(),
		Catalog: fixedCatalog{snap}, Health: alwaysReady{}, Keys: keys, Cache: respcache.New(64<<20, 64<<10),
		Resolver: &graph.Resolver{
			Refresh: func(context.Context) (model.CatalogReader, error) { return snap, nil },
			Feed:    noChanges{}, Head: snap.Seq,
		},
	}
	if edit != nil {
		edit(&d)
	}
	te := &testEdge{Edge: New(d), logs: logs, keys: keys, cache: d.Cache}
	te.srv = httptest.NewServer(te.Edge)
	t.Cleanup(te.srv.Close)
	te.URL = te.srv.URL
	return te
}

var (
	sharedOnce sync.Once
	sharedTest *testEdge
)

// sharedEdge is one edge with the default settings, shared by the tests
// that only read. It lives until the test binary ends.
func sharedEdge(t *testing.T) *testEdge {
	sharedOnce.Do(func() { sharedTest = newTestEdge(&keptT{t}, 0, nil) })
	return sharedTest
}

// keptT keeps what a shared edge registers for cleanup past the test that
// made it: the process's end closes it.
type keptT struct{ *testing.T }

func (keptT) Cleanup(func()) {}

// memoryCatalog is the shipped catalog plus extra generated roles as the
// store would hold it once seeded (the same timestamps), in a replica.
func memoryCatalog(t testing.TB, extra int) *replica.Snapshot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	if extra > 0 {
		cat = catalog.Generate(cat, extra, 1)
	}
	seeded := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dump := store.Dump(*cat)
	for i := range dump.Roles {
		dump.Roles[i].CreatedAt, dump.Roles[i].UpdatedAt = seeded, seeded
	}
	for i := range dump.Tools {
		dump.Tools[i].CreatedAt, dump.Tools[i].UpdatedAt = seeded, seeded
	}
	for i := range dump.Resources {
		dump.Resources[i].CreatedAt, dump.Resources[i].UpdatedAt = seeded, seeded
	}
	for i := range dump.Relations {
		dump.Relations[i].CreatedAt = seeded.Add(time.Duration(i) * time.Millisecond)
	}
	r, err := replica.Open(context.Background(), memorySource{dump}, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	return r.Current()
}

// memorySource is a replica's source with a fixed catalog and no changes.
type memorySource struct{ dump store.Dump }

func (m memorySource) LoadAll(context.Context) (store.Dump, int64, error)   { return m.dump, 0, nil }
func (memorySource) ChangeAt(context.Context, int64) (*model.Change, error) { return nil, nil }

// fixedCatalog is a catalog that never changes and is always current.
type fixedCatalog struct{ snap *replica.Snapshot }

func (c fixedCatalog) View() (model.CatalogReader, int64, bool) { return c.snap, c.snap.Seq(), true }
func (fixedCatalog) Age() time.Duration                         { return 0 }

type alwaysReady struct{}

func (alwaysReady) Ready() bool                 { return true }
func (alwaysReady) StoreSilence() time.Duration { return 0 }

// noChanges is a change feed with nothing in it.
type noChanges struct{}

func (noChanges) ChangeFeed(context.Context, int64, *time.Time, model.PageRequest) (model.Page[model.Change], error) {
	return model.Page[model.Change]{}, nil
}

// memoryKeys are API keys in memory, with their counted use.
type memoryKeys struct {
	mu     sync.Mutex
	byHash map[string]*model.APIKey
	usage  map[string]int64
	err    error // when set, what every lookup fails with
}

// add makes a key with the secret, to be found by its hash.
func (k *memoryKeys) add(secret string, key model.APIKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.byHash[model.HashSecret(secret)] = &key
}

func (k *memoryKeys) KeyByHash(_ context.Context, hash string) (*model.APIKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return nil, k.err
	}
	return k.byHash[hash], nil
}

func (k *memoryKeys) RecordUsage(_ context.Context, counts map[string]int64, _ time.Time) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.usage == nil {
		k.usage = map[string]int64{}
	}
	for id, n := range counts {
		k.usage[id] += n
	}
	return nil
}

// lockedBuffer is a log written by many requests at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// gqlResponse is a GraphQL answer, as the tests' client reads it.
type gqlResponse = graphtest.Response

// post sends a query over POST /graphql, with an API key unless key is
// empty.
var post = graphtest.Post
