package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// A recording is one answer the ceiling replays: the same status, headers
// and body the server sent (the caching headers, the request id, ...),
// prepared once so that serving it allocates nothing. Only Date is left to
// net/http, which writes it on every answer.
type recording struct {
	status int
	body   []byte
	header http.Header
}

// ceilingStore holds the recorded answers: GETs by request URI (path and
// query, exactly as sent), POSTs by path and then by body.
type ceilingStore struct {
	mu    sync.Mutex // guards the maps while recording; serving only reads
	gets  map[string]*recording
	posts map[string]map[string]*recording
}

func newCeilingStore() *ceilingStore {
	return &ceilingStore{gets: map[string]*recording{}, posts: map[string]map[string]*recording{}}
}

// add records resp as the answer to r.
func (s *ceilingStore) add(r Request, resp Response) {
	rec := &recording{status: resp.Status, body: resp.Body, header: resp.Header.Clone()}
	if rec.header == nil {
		rec.header = http.Header{}
	}
	rec.header.Del("Date")
	rec.header["Content-Length"] = []string{strconv.Itoa(len(resp.Body))}
	if rec.header.Get("Content-Type") == "" {
		rec.header["Content-Type"] = []string{cmp.Or(resp.ContentType, "application/json")}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodGet {
		s.gets[r.Target] = rec
		return
	}
	if s.posts[r.Target] == nil {
		s.posts[r.Target] = map[string]*recording{}
	}
	s.posts[r.Target][string(r.Body)] = rec
}

// lookup finds the answer to a request: a GET by its request URI, a POST by
// its path and body. It is nil for a request never recorded.
func (s *ceilingStore) lookup(method, requestURI, path string, body []byte) *recording {
	switch method {
	case http.MethodGet:
		return s.gets[requestURI]
	case http.MethodPost:
		return s.posts[path][string(body)] // no allocation: the compiler reads body in place
	}
	return nil
}

// len is how many answers the store holds.
func (s *ceilingStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.gets)
	for _, m := range s.posts {
		n += len(m)
	}
	return n
}

// emptyMetrics is the ceiling's /metrics: the counter the load reads, with no
// samples, so the load reports "-" for database commands.
const emptyMetrics = "# HELP " + dbCommandsMetric + " The ceiling sends no database commands.\n# TYPE " + dbCommandsMetric + " counter\n"

// notRecorded answers a request the ceiling has no recording of, as a
// GraphQL error so the load counts it.
var notRecorded = []byte(`{"errors":[{"message":"the ceiling has no recorded answer to this request: run the load with the ceiling's plan flags","extensions":{"code":"NOT_FOUND"}}]}` + "\n")

var bodyBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 4096)) }}

// ServeHTTP is the plain handler: it reads the request, looks its answer up
// and writes the recorded bytes with the recorded headers.
func (s *ceilingStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/metrics":
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		io.WriteString(w, emptyMetrics)
		return
	case "/healthz", "/readyz":
		io.WriteString(w, "ok\n")
		return
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer bodyBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(r.Body); err != nil {
		http.Error(w, "reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	rec := s.lookup(r.Method, r.RequestURI, r.URL.Path, buf.Bytes())
	h := w.Header()
	if rec == nil {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write(notRecorded)
		return
	}
	for k, v := range rec.header {
		h[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body)
}

// record fills the store from the server at from: first what discovery
// asks (so a load against the ceiling discovers the same plan), then every
// request of that plan, conc at a time.
func record(ctx context.Context, from string, cfg PlanConfig, conc int, progress io.Writer) (*ceilingStore, error) {
	c := newClient(from, conc)
	defer c.close()
	store := newCeilingStore()
	recordingFetch := func(ctx context.Context, r Request) (Response, error) {
		resp, err := c.fetch(ctx, r)
		if err == nil {
			store.add(r, resp)
		}
		return resp, err
	}
	plan, err := discover(ctx, recordingFetch, cfg)
	if err != nil {
		return nil, fmt.Errorf("discovering the catalog at %s: %w", from, err)
	}
	reqs := plan.requests()
	fmt.Fprintf(progress, "ceiling: recording the answers to the load's %d requests from %s ...\n", len(reqs), from)

	t := time.Now()
	var next, done, failed atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) || ctx.Err() != nil {
					return
				}
				if _, err := recordingFetch(ctx, reqs[i]); err != nil {
					failed.Add(1)
					once.Do(func() { firstErr = err })
					continue
				}
				if n := done.Add(1); n%200 == 0 {
					fmt.Fprintf(progress, "ceiling: %d/%d\n", n, len(reqs))
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if failed.Load() > 0 {
		return nil, fmt.Errorf("%d of %d requests failed; the first: %w", failed.Load(), len(reqs), firstErr)
	}
	fmt.Fprintf(progress, "ceiling: recorded %d answers (discovery's too) in %v\n", store.len(), time.Since(t).Round(time.Millisecond))
	return store, nil
}

// serveCeiling records the answers, then serves them on listen until ctx
// ends. When addrFile is set, it writes the address it listens on there
// (useful with port 0), once it is ready to answer.
func serveCeiling(ctx context.Context, listen, from, addrFile string, cfg PlanConfig, progress io.Writer) error {
	store, err := record(ctx, from, cfg, 4, progress)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: store, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	addr := ln.Addr().String()
	if addrFile != "" {
		tmp := addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, addrFile); err != nil {
			return err
		}
	}
	fmt.Fprintf(progress, "ceiling: serving %d answers on http://%s\n", store.len(), addr)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
