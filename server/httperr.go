package main

import (
	"encoding/json"
	"net/http"

	"github.com/finder-platform/finder/model"
)

// writeError answers a request refused before GraphQL runs (a bad key, a
// body too large) in the shape of a GraphQL response, so clients read
// every error the same way.
func writeError(w http.ResponseWriter, r *http.Request, status int, code model.ErrorCode, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{
			"message":    message,
			"extensions": map[string]any{"code": code, "requestId": model.RequestID(r.Context())},
		}},
	})
}
