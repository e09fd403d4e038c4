package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/finder-platform/finder/model"
)

// The media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP spec asks:
// GET (queries only) and POST with a JSON body; answers in
// application/graphql-response+json when the client accepts it, else in
// application/json; and these status codes:
//
//   - 405 for a mutation sent with GET or a method other than GET, POST
//     and OPTIONS (CORS preflight, answered by gqlgen's Options transport),
//     415 for a POST that is not JSON,
//     406 when the client accepts neither JSON type;
//   - 400 for a request that is not a GraphQL request (bad JSON, no query);
//   - for a GraphQL request refused before it runs (it does not parse, does
//     not validate, is too complex): 400 in graphql-response+json, 200 in
//     application/json, where the errors say what went wrong;
//   - 200 for every request that ran, whatever its field errors.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

// Supports takes every request the Options transport does not, so that a
// wrong method is told what to use rather than gqlgen's bare "transport not
// supported".
func (httpTransport) Supports(r *http.Request) bool {
	return r.Method != http.MethodOptions
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeResponse(w, mediaJSON, http.StatusNotAcceptable, requestError(model.CodeBadUserInput,
			"The Accept header must allow application/graphql-response+json or application/json."))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeResponse(w, media, http.StatusMethodNotAllowed, requestError(model.CodeBadUserInput,
			fmt.Sprintf("/graphql does not take %s: send queries with GET or POST, and mutations with POST.", r.Method)))
		return
	}
	params, status, err := readParams(r)
	if err != nil {
		writeResponse(w, media, status, requestError(model.CodeBadUserInput, err.Error()))
		return
	}
	params.Headers = r.Header
	params.ReadTime.Start = graphql.Now()
	params.ReadTime.End = graphql.Now()

	ctx := r.Context()
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		status := http.StatusOK
		if media == mediaGraphQLResponse && !persistedQueryMissing(errs) {
			status = http.StatusBadRequest
		}
		writeResponse(w, media, status, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs))
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		writeResponse(w, media, http.StatusMethodNotAllowed, requestError(model.CodeBadUserInput,
			fmt.Sprintf("A %s must be sent with POST: GET may only read.", opCtx.Operation.Operation)))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	writeResponse(w, media, http.StatusOK, responses(ctx))
}

// negotiate picks the response's media type from the Accept header.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	json := false
	for _, part := range strings.Split(accept, ",") {
		media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		switch media {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse, true
		case mediaJSON, "application/*", "*/*":
			json = true
		}
	}
	return mediaJSON, json
}

// readParams reads the query, variables, operation name and extensions of a
// GET's URL or a POST's JSON body; a failure comes with its status code.
func readParams(r *http.Request) (*graphql.RawParams, int, error) {
	var p graphql.RawParams
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		p.Query, p.OperationName = q.Get("query"), q.Get("operationName")
		for _, param := range [...]struct {
			name string
			into *map[string]any
		}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
			if v := q.Get(param.name); v != "" {
				// Numbers stay exact, as in a POST body: an Int variable
				// must not arrive as a float.
				dec := json.NewDecoder(strings.NewReader(v))
				dec.UseNumber()
				if err := dec.Decode(param.into); err != nil {
					return nil, http.StatusBadRequest, fmt.Errorf("The %s parameter must be a JSON object.", param.name)
				}
			}
		}
	} else {
		media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if media != mediaJSON && media != mediaGraphQLResponse {
			return nil, http.StatusUnsupportedMediaType, errors.New("A POST must have Content-Type: application/json and a JSON body.")
		}
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&p); err != nil {
			if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
				return nil, http.StatusRequestEntityTooLarge, errors.New("The request body is too large.")
			}
			return nil, http.StatusBadRequest, errors.New("The request body must be a JSON object with a \"query\" string, and optionally \"variables\", \"operationName\" and \"extensions\".")
		}
	}
	if err := checkPersistedQuery(&p); err != nil {
		return nil, http.StatusBadRequest, err
	}
	if p.Query == "" && p.Extensions["persistedQuery"] == nil {
		return nil, http.StatusBadRequest, errors.New("The request has no query: send it in \"query\".")
	}
	return &p, 0, nil
}

// checkPersistedQuery checks an automatic persisted query's extension
// before gqlgen reads it: version 1 and a SHA-256 in hex, which is the
// query's when the query is sent too.
func checkPersistedQuery(p *graphql.RawParams) error {
	raw, ok := p.Extensions["persistedQuery"]
	if !ok {
		return nil
	}
	bad := errors.New(`The persistedQuery extension must be {"version": 1, "sha256Hash": "<the query's SHA-256 in lowercase hex>"}.`)
	pq, ok := raw.(map[string]any)
	if !ok {
		return bad
	}
	version, _ := pq["version"].(json.Number)
	hash, _ := pq["sha256Hash"].(string)
	if version.String() != "1" || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return bad
	}
	if p.Query != "" {
		if sum := sha256.Sum256([]byte(p.Query)); hex.EncodeToString(sum[:]) != hash {
			return errors.New("The persistedQuery extension's sha256Hash is not the SHA-256 of the query sent with it.")
		}
	}
	return nil
}

func persistedQueryMissing(errs gqlerror.List) bool {
	return len(errs) == 1 && errs[0].Extensions["code"] == "PERSISTED_QUERY_NOT_FOUND"
}

func requestError(code model.ErrorCode, message string) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": string(code)}}}}
}

// writeResponse writes resp as JSON. The data is already JSON, written by
// gqlgen: it is copied as it is, where json.Marshal would scan it again.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	var b bytes.Buffer
	b.Grow(len(resp.Data) + 256)
	b.WriteByte('{')
	sep := ""
	field := func(name string, v any) {
		enc, err := json.Marshal(v)
		if err != nil {
			enc = []byte(`null`)
		}
		b.WriteString(sep + `"` + name + `":`)
		b.Write(enc)
		sep = ","
	}
	if len(resp.Errors) > 0 {
		field("errors", resp.Errors)
	}
	if resp.Data != nil || len(resp.Errors) == 0 {
		b.WriteString(sep + `"data":`)
		if resp.Data == nil {
			b.WriteString("null")
		} else {
			b.Write(resp.Data)
		}
		sep = ","
	}
	if len(resp.Extensions) > 0 {
		field("extensions", resp.Extensions)
	}
	b.WriteByte('}')
	_, _ = w.Write(b.Bytes())
}
