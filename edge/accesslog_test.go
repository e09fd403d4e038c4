package edge

import (
	"bytes"
	"log/slog"
	"testing"
	"time"
)

// TestAccessLogWritesWhatSlogWould writes access lines with awkward values
// by hand and through slog's own handlers, text and JSON, and wants the
// same bytes: the access log must read as the rest of the log does.
func TestAccessLogWritesWhatSlogWould(t *testing.T) {
	at := time.Date(2026, 12, 4, 16, 13, 28, 226183456, time.UTC)
	for _, a := range []accessLine{
		{ID: "test-request-0001", Method: "GET", Path: "/graphql", Status: 200, Operation: "RoleCard", Cost: 2,
			Outcome: "ok", Cache: "hit", Key: "", Took: 79682 * time.Nanosecond, Bytes: 1038},
		{ID: "9f3a2b1c4d5e6f70-1a", Method: "POST", Path: "/graphql", Status: 400, Operation: "anonymous query",
			Outcome: "GRAPHQL_PARSE_FAILED", Cache: "", Key: `Editor "Ada" = \ yes`, Took: 2 * time.Second, Bytes: 0},
		{ID: "x", Method: "GET", Path: "/roles/caf\u00e9\u2028\u00a0\x7f\x01\tx\xff", Status: 404, Operation: "<&>",
			Outcome: "client_error", Key: "line\nbreak\r", Took: 0, Bytes: -1},
		{ID: "a=b", Method: "G\\ET", Path: "/", Operation: "Query\u00e9", Took: time.Hour},
	} {
		for _, json := range []bool{false, true} {
			var want, got bytes.Buffer
			var h slog.Handler = slog.NewTextHandler(&want, nil)
			if json {
				h = slog.NewJSONHandler(&want, nil)
			}
			r := slog.NewRecord(at, slog.LevelInfo, "request", 0)
			r.AddAttrs(slog.String("request_id", a.ID), slog.String("method", a.Method), slog.String("path", a.Path),
				slog.Int("status", a.Status), slog.String("operation", a.Operation), slog.Int("cost", a.Cost),
				slog.String("outcome", a.Outcome), slog.String("cache", a.Cache), slog.String("key", a.Key),
				slog.Duration("duration", a.Took), slog.Int("bytes", a.Bytes))
			if err := h.Handle(t.Context(), r); err != nil {
				t.Fatal(err)
			}
			(&accessLog{out: &got, json: json}).write(at, a)
			if got.String() != want.String() {
				t.Errorf("json=%t:\n got %q\nwant %q", json, got.String(), want.String())
			}
		}
	}
}
