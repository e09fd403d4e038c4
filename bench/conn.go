package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"
)

// The load's own HTTP/1.1 client.
//
// net/http's client costs about as much CPU per request as a plain net/http
// handler does to answer it (two goroutine hand-offs, a Request, a header
// map, a URL parse). On a 2-core machine the load generator and the server
// share the CPU, so every microsecond the generator spends is taken from the
// server and flattens the difference between the server and the ceiling.
// A conn writes each request as bytes prepared before the run, in one write,
// and reads the answer with a parser that allocates nothing: Content-Length
// or chunked bodies, keep-alive, and "Connection: close". Discovery, /metrics
// and generate use net/http, which is fine where speed does not matter.

// wire returns the bytes of r as sent to host: the request line, the
// headers every Finder client sends, and the body.
func (r Request) wire(host string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: finder-bench\r\nAccept: application/json\r\n", r.Method, r.Target, host)
	if r.Body != nil {
		fmt.Fprintf(&b, "Content-Type: application/json\r\nContent-Length: %d\r\n", len(r.Body))
	}
	b.WriteString("\r\n")
	b.Write(r.Body)
	return b.Bytes()
}

// hostOf returns the host:port to dial and the Host header for a base URL
// such as http://127.0.0.1:8080.
func hostOf(base string) (addr, host string, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	if u.Scheme != "http" {
		return "", "", fmt.Errorf("%s: the load speaks plain HTTP/1.1: use an http:// URL", base)
	}
	addr = u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return addr, u.Host, nil
}

// A conn is one load client's keep-alive connection to the server. It is
// not safe for concurrent use: each client has its own.
type conn struct {
	addr     string
	nc       net.Conn
	br       *bufio.Reader
	deadline time.Time // no read or write goes past it
	reused   bool      // nc has answered a request before
}

func newConn(addr string) *conn { return &conn{addr: addr} }

// setDeadline bounds every later read and write, so that a server that
// stops answering cannot hold a client past the end of a run.
func (c *conn) setDeadline(t time.Time) {
	c.deadline = t
	if c.nc != nil {
		c.nc.SetDeadline(t)
	}
}

// close drops the connection; the next request dials a new one.
func (c *conn) close() {
	if c.nc != nil {
		c.nc.Close()
		c.nc, c.br = nil, nil
	}
}

// errMalformed is an answer that is not HTTP/1.x as this parser reads it.
var errMalformed = errors.New("malformed HTTP response")

// roundTrip writes one request (wire bytes, from Request.wire) and reads the
// answer's body into body, which it resets. A connection that the server
// closed while idle is replaced once, as net/http does.
func (c *conn) roundTrip(wire []byte, body *bytes.Buffer) (status int, err error) {
	for attempt := 0; ; attempt++ {
		if c.nc == nil {
			d := net.Dialer{Timeout: 5 * time.Second, Deadline: c.deadline}
			nc, err := d.Dial("tcp", c.addr)
			if err != nil {
				return 0, err
			}
			nc.SetDeadline(c.deadline)
			c.nc, c.br, c.reused = nc, bufio.NewReaderSize(nc, 64<<10), false
		}
		status, started, keep, err := c.exchange(wire, body)
		if err == nil {
			if keep {
				c.reused = true
			} else {
				c.close()
			}
			return status, nil
		}
		stale := c.reused && !started
		c.close()
		if attempt > 0 || !stale {
			return status, err
		}
	}
}

// exchange does one request on the open connection. started says whether
// any of the answer arrived; keep whether the connection can serve another.
func (c *conn) exchange(wire []byte, body *bytes.Buffer) (status int, started, keep bool, err error) {
	if _, err := c.nc.Write(wire); err != nil {
		return 0, false, false, err
	}
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return 0, len(line) > 0, false, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, true, false, errMalformed
	}
	status, ok := atoi(line[9:12])
	if !ok {
		return 0, true, false, errMalformed
	}
	keep = line[7] != '0' // HTTP/1.0 closes unless it says otherwise
	length, chunked := -1, false
	for {
		h, err := c.br.ReadSlice('\n')
		if err != nil {
			return status, true, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, found := bytes.Cut(h, []byte(":"))
		if !found {
			return status, true, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, ok := atoi(value)
			if !ok {
				return status, true, false, errMalformed
			}
			length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				keep = false
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				keep = true
			}
		}
	}
	body.Reset()
	switch {
	case status < 200 || status == 204 || status == 304:
		return status, true, keep, nil
	case chunked:
		err = c.readChunked(body)
	case length >= 0:
		err = c.readN(body, length)
	default: // the body runs to the end of the connection
		_, err = body.ReadFrom(c.br)
		keep = false
	}
	return status, true, keep && err == nil, err
}

// readN appends exactly n bytes of the answer to body.
func (c *conn) readN(body *bytes.Buffer, n int) error {
	body.Grow(n)
	b := body.AvailableBuffer()[:n]
	if _, err := io.ReadFull(c.br, b); err != nil {
		return err
	}
	body.Write(b)
	return nil
}

// readChunked appends a chunked body to body, and skips the trailers.
func (c *conn) readChunked(body *bytes.Buffer) error {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i] // a chunk extension
		}
		size, ok := hexToInt(bytes.TrimSpace(line))
		if !ok {
			return errMalformed
		}
		if size == 0 {
			for { // trailers, up to the empty line
				t, err := c.br.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(t, "\r\n")) == 0 {
					return nil
				}
			}
		}
		if err := c.readN(body, size); err != nil {
			return err
		}
		if crlf, err := c.br.ReadSlice('\n'); err != nil {
			return err
		} else if len(bytes.TrimRight(crlf, "\r\n")) != 0 {
			return errMalformed
		}
	}
}

// atoi parses a non-negative decimal number without allocating.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 12 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// hexToInt parses a chunk size without allocating.
func hexToInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 8 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}
