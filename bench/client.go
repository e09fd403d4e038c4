package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// A Request is one HTTP request exactly as the load sends it: the same
// method, target and body bytes every time, built once before a run.
type Request struct {
	// Method is GET or POST.
	Method string
	// Target is the path and query, such as "/graphql" or
	// "/graphql?query=...&variables=...".
	Target string
	// Body is the POST body; nil for a GET.
	Body []byte
}

// A Response is what a server answered to a Request.
type Response struct {
	Status      int
	ContentType string
	Header      http.Header // every header of the answer
	Body        []byte
}

// fetchFunc sends one request and returns the whole answer. Discovery (see
// discover) goes through one, so the ceiling can record what it fetches.
type fetchFunc func(ctx context.Context, r Request) (Response, error)

// newTransport returns a transport for conns concurrent clients of one host:
// it keeps every connection open between requests and asks for no
// compression.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          2 * conns,
		MaxIdleConnsPerHost:   2 * conns,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		DisableCompression:    true,
	}
}

// client sends Requests to one server.
type client struct {
	base  string // scheme and host, such as http://127.0.0.1:8080, without a trailing slash
	http  *http.Client
	extra http.Header // added to every request, such as Authorization; nil for none
}

func newClient(base string, conns int) *client {
	return &client{base: strings.TrimRight(base, "/"), http: &http.Client{Transport: newTransport(conns)}}
}

// close drops the client's idle connections.
func (c *client) close() { c.http.CloseIdleConnections() }

// fetch sends r and returns the whole answer; it is the fetchFunc of a
// client, for everything but the load itself (which has its own, cheaper
// connections: conn.go).
func (c *client) fetch(ctx context.Context, r Request) (Response, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: %w", r.Method, c.base+shorten(r.Target, 60), err)
	}
	return resp, nil
}

func (c *client) do(ctx context.Context, r Request) (Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, c.base+r.Target, body)
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Accept", "application/json")
	if r.Method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.extra {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Header: resp.Header, Body: b}, nil
}

// graphQLPost builds the POST of a GraphQL document, as the web client and
// the analysts' tools send it.
func graphQLPost(query, operationName string, variables map[string]any) Request {
	body, err := json.Marshal(struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName,omitempty"`
		Variables     map[string]any `json:"variables,omitempty"`
	}{query, operationName, variables})
	if err != nil {
		panic(err) // only strings, numbers and nil go in
	}
	return Request{Method: http.MethodPost, Target: "/graphql", Body: body}
}

// gqlError is one entry of a GraphQL answer's "errors".
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// responseError is a GraphQL answer that was not a success: a status other
// than 200, or errors in the body.
type responseError struct {
	Status int
	Errors []gqlError
	Body   string // the start of the body, when it had no errors to show
}

func (e *responseError) Error() string {
	if len(e.Errors) > 0 {
		first := e.Errors[0]
		more := ""
		if len(e.Errors) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(e.Errors)-1)
		}
		return fmt.Sprintf("HTTP %d: %s: %s%s", e.Status, first.Extensions.Code, first.Message, more)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body)
}

// code is the first error's extensions.code, or "".
func (e *responseError) code() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Extensions.Code
}

// decodeData decodes a GraphQL answer's "data" into out, or returns a
// *responseError when the status is not 200 or the answer has errors.
func decodeData(resp Response, out any) error {
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	jsonErr := json.Unmarshal(resp.Body, &env)
	if resp.Status != http.StatusOK || len(env.Errors) > 0 || jsonErr != nil {
		return &responseError{Status: resp.Status, Errors: env.Errors, Body: shorten(string(resp.Body), 300)}
	}
	return json.Unmarshal(env.Data, out)
}

// shorten cuts s to at most n bytes, marking the cut.
func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
