package edge

import (
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

// Request is the record of one request: made once, when it arrives
// (observe), and handed to each layer as an argument. A layer that learns
// something the layers inside need (the key's viewer, the client's budget)
// hands them a copy with it.
type Request struct {
	ID     string
	Start  time.Time
	Client string        // the address it came from: the connection's, or what trusted proxies saw
	Viewer *model.Viewer // the API key's viewer; nil for anyone
	Budget *model.Budget // the client's rate limit before this request; nil when limits are off
}

// Answer is what the layers learned while answering a request, handed back
// outward as each returns, to observe, which logs and counts it.
type Answer struct {
	Status    int
	Bytes     int
	Operation string // the GraphQL operation's name, or its type
	Cost      int    // the query's cost
	Outcome   string // "ok", "error", or the code that refused the request; empty: from the status
	Cache     string // "hit" or "miss" when the response cache was asked
	Key       string // the API key's name
}

// handler answers a request with its record, and says what it learned.
type handler func(w http.ResponseWriter, r *http.Request, req Request) Answer

// wrapper is one layer around a handler.
type wrapper func(next handler) handler

// validRequestID is what a request id from a client may look like; anything
// else is replaced, so logs cannot be forged through it.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// newRequest makes a request's record: its id (a sane X-Request-Id the
// client sent, or a new one) and the address it came from.
func (e *Edge) newRequest(r *http.Request) Request {
	id := r.Header.Get("X-Request-Id")
	if !validRequestID.MatchString(id) {
		id = newRequestID()
	}
	return Request{ID: id, Start: time.Now(), Client: clientAddr(r, e.cfg.TrustedProxyHops)}
}

// Request ids are a random prefix, drawn once per process, and a counter:
// unique across instances and restarts without drawing randomness for
// every request.
var (
	requestIDPrefix = strings.ReplaceAll(uuid.NewString(), "-", "")[:16] + "-"
	requestCount    atomic.Uint64
)

func newRequestID() string {
	var b [40]byte
	return string(strconv.AppendUint(append(b[:0], requestIDPrefix...), requestCount.Add(1), 36))
}

// clientAddr is the address a request came from: the connection's, or,
// behind hops trusted proxies, the one they saw.
func clientAddr(r *http.Request, hops int) string {
	if hops > 0 {
		forwarded := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		if i := len(forwarded) - hops; i >= 0 && i < len(forwarded) {
			if addr := strings.TrimSpace(forwarded[i]); net.ParseIP(addr) != nil {
				return addr
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// refuse answers a request refused before GraphQL runs (a bad key, a spent
// budget, a server too busy) in the shape of a GraphQL response, so
// clients read every error the same way.
func refuse(w http.ResponseWriter, req Request, status int, code model.ErrorCode, message string) Answer {
	body, _ := json.Marshal(map[string]any{
		"errors": []map[string]any{{
			"message":    message,
			"extensions": map[string]any{"code": code, "requestId": req.ID},
		}},
	})
	w.Header()["Content-Type"] = jsonType
	w.WriteHeader(status)
	n, _ := w.Write(append(body, '\n'))
	return Answer{Status: status, Bytes: n, Outcome: string(code)}
}

// std serves a plain http.Handler (a static file) as a route, noting the
// status and size of what it writes.
func std(h http.Handler) handler {
	return func(w http.ResponseWriter, r *http.Request, _ Request) Answer {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		return Answer{Status: rec.status, Bytes: rec.bytes}
	}
}

// recorder notes the status and size of an answer as it passes.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (rec *recorder) WriteHeader(status int) {
	rec.status = status
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(p []byte) (int, error) {
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += n
	return n, err
}

// Header values the edge sets on many answers, made once: net/http only
// reads a header's values, so answers may share them.
var (
	jsonType   = []string{"application/json; charset=utf-8"}
	noStore    = []string{"no-store"}
	varyAccept = []string{"Accept"}
	cacheHit   = []string{"hit"}
	cacheMiss  = []string{"miss"}
)

// shared returns the value as a header's values, made once per value. It
// is for values from a small set (media types, max ages), never a
// client's.
func shared(v string) []string {
	if vs, ok := sharedValues.Load(v); ok {
		return vs.([]string)
	}
	vs, _ := sharedValues.LoadOrStore(v, []string{v})
	return vs.([]string)
}

var sharedValues sync.Map

// write sends a body with a status and notes both.
func write(w http.ResponseWriter, status int, body []byte) Answer {
	if _, set := w.Header()["Content-Length"]; !set && len(body) > 0 {
		// Known in advance, the length spares net/http sending a large
		// answer in chunks, with a write for each and one to end them.
		w.Header()["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	w.WriteHeader(status)
	n, _ := w.Write(body)
	return Answer{Status: status, Bytes: n}
}
