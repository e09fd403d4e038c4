package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestConnReadsEveryKindOfBody checks the load's HTTP client against
// net/http's server: a Content-Length body, a chunked one, an empty one,
// and a server that closes every connection.
func TestConnReadsEveryKindOfBody(t *testing.T) {
	big := strings.Repeat("0123456789", 5000)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/small":
			w.Write([]byte("small:" + r.Method + ":" + string(body)))
		case "/big": // more than net/http buffers, so chunked
			w.(http.Flusher).Flush()
			io.WriteString(w, big)
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/missing":
			http.NotFound(w, r)
		}
	})
	keepAlive := httptest.NewServer(handler)
	defer keepAlive.Close()
	closing := httptest.NewUnstartedServer(handler)
	closing.Config.SetKeepAlivesEnabled(false)
	closing.Start()
	defer closing.Close()

	for _, srv := range []*httptest.Server{keepAlive, closing} {
		addr, host, err := hostOf(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		c := newConn(addr)
		c.setDeadline(time.Now().Add(10 * time.Second))
		var buf bytes.Buffer
		for range 3 { // the same connection, when the server keeps it
			for _, tc := range []struct {
				req    Request
				status int
				body   string
			}{
				{Request{Method: "POST", Target: "/small", Body: []byte(`{"a":1}`)}, 200, `small:POST:{"a":1}`},
				{Request{Method: "GET", Target: "/big?x=1"}, 200, big},
				{Request{Method: "GET", Target: "/empty"}, 204, ""},
				{Request{Method: "GET", Target: "/missing"}, 404, "404 page not found\n"},
			} {
				status, err := c.roundTrip(tc.req.wire(host), &buf)
				if err != nil || status != tc.status || buf.String() != tc.body {
					t.Fatalf("%s %s: status %d, err %v, body %q (%d bytes)", tc.req.Method, tc.req.Target, status, err, shorten(buf.String(), 40), buf.Len())
				}
			}
		}
		c.close()
	}
}

// TestConnReplacesAStaleConnection: a server that closed an idle
// connection costs no error.
func TestConnReplacesAStaleConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for range 2 {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			br := bufio.NewReader(nc)
			for { // read the request's head, answer, then close
				line, err := br.ReadString('\n')
				if err != nil || line == "\r\n" {
					break
				}
			}
			io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			time.Sleep(50 * time.Millisecond)
			nc.Close()
		}
	}()
	c := newConn(ln.Addr().String())
	defer c.close()
	c.setDeadline(time.Now().Add(10 * time.Second))
	wire := Request{Method: "GET", Target: "/"}.wire("x")
	var buf bytes.Buffer
	for i := range 2 {
		if status, err := c.roundTrip(wire, &buf); err != nil || status != 200 || buf.String() != "ok" {
			t.Fatalf("request %d: %d %v %q", i, status, err, buf.String())
		}
		time.Sleep(100 * time.Millisecond) // the server closes meanwhile
	}
}

func TestConnGivesUpAtTheDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accepts and never answers
		nc, err := ln.Accept()
		if err == nil {
			defer nc.Close()
			time.Sleep(2 * time.Second)
		}
	}()
	c := newConn(ln.Addr().String())
	defer c.close()
	c.setDeadline(time.Now().Add(100 * time.Millisecond))
	start := time.Now()
	var buf bytes.Buffer
	if _, err := c.roundTrip(Request{Method: "GET", Target: "/"}.wire("x"), &buf); err == nil {
		t.Fatal("no error from a server that never answers")
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("gave up after %v", took)
	}
}

func TestRequestWire(t *testing.T) {
	got := string(Request{Method: "POST", Target: "/graphql", Body: []byte(`{}`)}.wire("h:1"))
	want := "POST /graphql HTTP/1.1\r\nHost: h:1\r\nUser-Agent: finder-bench\r\nAccept: application/json\r\n" +
		"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, _, err := hostOf("https://example.com"); err == nil {
		t.Error("https accepted")
	}
}
