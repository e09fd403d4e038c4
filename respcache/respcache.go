// Package respcache keeps whole answers to anonymous GraphQL queries in
// memory, so that a repeated read (the same role card on every partner page
// view) is answered without running the query again. An entry is stamped
// with the number of the catalog snapshot it was computed from and is good
// only while that snapshot is current: any edit makes every entry stale.
//
// An entry is the GraphQL layer's whole result (graph.Result): a hit gives
// the layers around the cache (the access log, the rate limit, HTTP
// caching) the same facts as the first answer did.
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

	"github.com/finder-platform/finder/graph"
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

// Entry is a kept answer: the GraphQL layer's result, its ETag, and the
// ETag and Content-Length as header values, made once so that answering
// from the cache allocates neither.
type Entry struct {
	graph.Result
	ETag                     string
	ETagHeader, LengthHeader []string
}

type entry struct {
	hash uint64
	key  []byte
	seq  int64
	*Entry
}

func (e *entry) cost() int64 { return int64(len(e.key)+len(e.Body)) + 256 }

// New returns a cache that holds at most maxBytes of responses, and never
// keeps a request larger than maxBody bytes.
func New(maxBytes, maxBody int64) *Cache {
	return &Cache{maxBytes: maxBytes, maxBody: maxBody, seed: maphash.MakeSeed(),
		order: list.New(), items: map[uint64]*list.Element{}}
}

// Stats returns how many requests were answered from the cache and how
// many were not.
func (c *Cache) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Get returns the answer kept for the request key at snapshot seq, or nil.
func (c *Cache) Get(key []byte, seq int64) *Entry {
	h := maphash.Bytes(c.seed, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[h]
	if !ok {
		c.misses.Add(1)
		return nil
	}
	e := el.Value.(*entry)
	if e.seq != seq || !bytes.Equal(e.key, key) {
		c.misses.Add(1)
		return nil
	}
	c.hits.Add(1)
	c.order.MoveToFront(el)
	return e.Entry
}

// Put keeps an answer to the request key at snapshot seq, and returns it
// with its ETag. The entry shares res's body: nobody may change it.
func (c *Cache) Put(key []byte, seq int64, res graph.Result) *Entry {
	tag := ETag(res.Body)
	e := &entry{hash: maphash.Bytes(c.seed, key), key: key, seq: seq, Entry: &Entry{Result: res, ETag: tag,
		ETagHeader: []string{tag}, LengthHeader: []string{strconv.Itoa(len(res.Body))}}}
	if e.cost() > c.maxBytes/8 {
		return e.Entry // one answer must not push out many
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
	return e.Entry
}

// Key is what makes two requests the same: method, accepted types and the
// raw query string or body; false when the request cannot be kept. A POST
// body is read here and given back to the request.
func (c *Cache) Key(r *http.Request) ([]byte, bool) {
	accept, ctype := r.Header.Get("Accept"), ""
	size := len(r.Method) + len(accept) + 2
	switch r.Method {
	case http.MethodGet:
		size += len(r.URL.RawQuery)
	case http.MethodPost:
		ctype = r.Header.Get("Content-Type")
		// The body is read into the key, with room to see its end.
		size += len(ctype) + 1 + int(min(max(r.ContentLength, 0), c.maxBody)) + bytes.MinRead
	default:
		return nil, false
	}
	b := bytes.NewBuffer(make([]byte, 0, size))
	b.WriteString(r.Method)
	b.WriteByte(0)
	b.WriteString(accept)
	b.WriteByte(0)
	if r.Method == http.MethodGet {
		b.WriteString(r.URL.RawQuery)
		return b.Bytes(), true
	}
	b.WriteString(ctype)
	b.WriteByte(0)
	start := b.Len()
	_, err := b.ReadFrom(io.LimitReader(r.Body, c.maxBody+1))
	body := b.Bytes()[start:]
	// The handler reads the body again, and any error with it (a body
	// over the server's limit is answered 413, not garbled).
	r.Body = &replay{body, err, r.Body}
	if err != nil || int64(len(body)) > c.maxBody {
		return nil, false
	}
	return b.Bytes(), true
}

// replay gives back a body read for the key: its bytes, then the error
// reading them ended with, if any, then the rest of the body.
type replay struct {
	read []byte
	err  error
	rest io.ReadCloser
}

func (p *replay) Read(b []byte) (int, error) {
	if len(p.read) > 0 {
		n := copy(b, p.read)
		p.read = p.read[n:]
		return n, nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.rest.Read(b)
}

func (p *replay) Close() error { return p.rest.Close() }

// ETag is the entity tag of an answer: a hash of its bytes, the same on
// every instance, so a CDN can revalidate with any of them. The cache keeps
// it with the answer, so a hit costs no hashing.
func ETag(body []byte) string {
	h := fnv.New64a()
	h.Write(body)
	return `"` + strconv.FormatUint(h.Sum64(), 16) + `"`
}
