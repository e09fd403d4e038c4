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
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// GraphQL over HTTP, as the GraphQL-over-HTTP spec asks (Execute, in
// executor.go, follows these rules): GET (queries only) and POST with a JSON
// body; answers in application/graphql-response+json when the client
// accepts it, else in application/json; and these status codes:
//
//   - 405 for a mutation sent with GET or a method other than GET, POST
//     and OPTIONS (CORS preflight, answered by the HTTP edge), 415 for a
//     POST that is not JSON, 406 when the client accepts neither JSON type;
//   - 400 for a request that is not a GraphQL request (bad JSON, no query);
//   - for a GraphQL request refused before it runs (it does not parse, does
//     not validate, is too complex): 400 in graphql-response+json, 200 in
//     application/json, where the errors say what went wrong;
//   - 200 for every request that ran, whatever its field errors.

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

// encode writes resp as JSON. The data is already JSON, written by gqlgen:
// it is copied as it is, where json.Marshal would scan it again. This is
// the one buffer an answer passes through: the edge writes these bytes,
// and the response cache keeps them.
func encode(resp *graphql.Response) []byte {
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
	return b.Bytes()
}
