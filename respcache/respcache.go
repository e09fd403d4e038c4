// Package respcache keeps whole responses to anonymous GraphQL queries in
// memory, so that a repeated read (the same role card on every partner page
// view) is answered without running the query again. An entry is stamped
// with the number of the catalog snapshot it was computed from and is good
// only while that snapshot is current: any edit makes every entry stale.
//
// Only the GraphQL layer knows whether a response may be kept: it says so
// in the request's model.RequestInfo (Shareable). A hit puts back the info
// recorded with the answer, so the layers around the cache (the access
// log, the rate limiter, HTTP caching) see it as they saw the first.
package respcache

import (
	"bytes"
	"container/list"
	"hash/fnv"
	"hash/maphash"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/finder-platform/finder/model"
)

// Cache is a least-recently-used set of responses, bounded in bytes.
type Cache struct {
	maxBytes int64
	maxBody  int64
	seed     maphash.Seed

	mu    sync.Mutex
	size  int64
	order *list.List // front: most recently used
	items map[uint64]*list.Element

	hits, misses atomic.Int64
}

type entry struct {
	hash        uint64
	key         []byte
	seq         int64
	status      int
	contentType string
	body        []byte
	etag        string
	info        model.RequestFacts
}

func (e *entry) cost() int64 { return int64(len(e.key)+len(e.body)) + 128 }

// New returns a cache that holds at most maxBytes of responses, and never
// keeps a request larger than maxBody bytes.
func New(maxBytes, maxBody int64) *Cache {
	return &Cache{maxBytes: maxBytes, maxBody: maxBody, seed: maphash.MakeSeed(),
		order: list.New(), items: map[uint64]*list.Element{}}
}

// Stats returns how many requests were answered from the cache and how
// many were not.
func (c *Cache) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Serve answers r from the cache if it holds a response to the same request
// computed from snapshot seq; otherwise it calls next, and keeps its
// response if next's GraphQL layer allowed it.
func (c *Cache) Serve(w http.ResponseWriter, r *http.Request, seq int64, next http.Handler) {
	key, ok := c.key(r)
	if !ok {
		next.ServeHTTP(w, r)
		return
	}
	h := maphash.Bytes(c.seed, key)
	info := model.RequestInfoFrom(r.Context())
	if e := c.get(h, key, seq); e != nil {
		c.hits.Add(1)
		info.Update(func(i *model.RequestFacts) {
			budget := i.Budget // the budget is this client's, not the first one's
			*i = e.info
			i.Budget = budget
		})
		w.Header().Set("Content-Type", e.contentType)
		w.Header().Set("ETag", e.etag)
		w.Header().Set("X-Cache", "hit")
		w.WriteHeader(e.status)
		_, _ = w.Write(e.body)
		return
	}
	c.misses.Add(1)
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	w.Header().Set("X-Cache", "miss")
	next.ServeHTTP(rec, r)
	if got := info.Get(); got.Shareable && rec.status == http.StatusOK {
		got.Budget = nil
		etag := ETag(rec.body.Bytes())
		// As on a hit: the HTTP caching in front, which holds a GET's
		// headers until the answer is complete, then need not hash again.
		w.Header().Set("ETag", etag)
		c.put(&entry{hash: h, key: key, seq: seq, status: rec.status, contentType: rec.Header().Get("Content-Type"),
			body: rec.body.Bytes(), etag: etag, info: got})
	}
}

// key is what makes two requests the same: method, accepted types and the
// raw query string or body. A POST body is read here and given back to the
// handler.
func (c *Cache) key(r *http.Request) ([]byte, bool) {
	var b bytes.Buffer
	b.WriteString(r.Method)
	b.WriteByte(0)
	b.WriteString(r.Header.Get("Accept"))
	b.WriteByte(0)
	switch r.Method {
	case http.MethodGet:
		b.WriteString(r.URL.RawQuery)
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, c.maxBody+1))
		// The handler reads the body again, and any error with it (a body
		// over the server's limit is answered 413, not garbled).
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}, r.Body))
		if err != nil || int64(len(body)) > c.maxBody {
			return nil, false
		}
		b.WriteString(r.Header.Get("Content-Type"))
		b.WriteByte(0)
		b.Write(body)
	default:
		return nil, false
	}
	return b.Bytes(), true
}

func (c *Cache) get(h uint64, key []byte, seq int64) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[h]
	if !ok {
		return nil
	}
	e := el.Value.(*entry)
	if e.seq != seq || !bytes.Equal(e.key, key) {
		return nil
	}
	c.order.MoveToFront(el)
	return e
}

func (c *Cache) put(e *entry) {
	if e.cost() > c.maxBytes/8 {
		return // one response must not push out many
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.items[e.hash]; ok {
		c.size -= old.Value.(*entry).cost()
		c.order.Remove(old)
	}
	c.items[e.hash] = c.order.PushFront(e)
	c.size += e.cost()
	for c.size > c.maxBytes {
		last := c.order.Back()
		old := last.Value.(*entry)
		c.order.Remove(last)
		delete(c.items, old.hash)
		c.size -= old.cost()
	}
}

// recorder passes a response through and keeps a copy of its body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

// errReader fails with err, or ends the stream when err is nil.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

// ETag is the entity tag of an answer: a hash of its bytes, the same on
// every instance, so a CDN can revalidate with any of them. The cache keeps
// it with the answer, so a hit costs no hashing.
func ETag(body []byte) string {
	h := fnv.New64a()
	h.Write(body)
	return `"` + strconv.FormatUint(h.Sum64(), 16) + `"`
}
