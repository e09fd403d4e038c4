package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
)

// dbCommandsMetric counts every command the server sends to its database.
const dbCommandsMetric = "finder_db_commands_total"

// sumCounter adds up every sample of the named metric in a Prometheus text
// exposition, over all label values. found is false when the exposition has
// no sample of it (a server without the metric, or the ceiling).
func sumCounter(exposition []byte, name string) (sum float64, found bool) {
	sc := bufio.NewScanner(bytes.NewReader(exposition))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" {
			continue
		}
		switch rest[0] {
		case '{':
			// Skip the labels; a label value may hold spaces or an escaped
			// quote, but never an unescaped '}' outside quotes.
			end := labelsEnd(rest)
			if end < 0 {
				continue
			}
			rest = rest[end+1:]
		case ' ', '\t':
		default:
			continue // another metric whose name starts with this one
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			continue
		}
		sum += v
		found = true
	}
	return sum, found
}

// labelsEnd returns the index of the '}' closing the label set that s starts
// with, or -1.
func labelsEnd(s string) int {
	inQuotes := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case inQuotes && c == '\\':
			i++
		case c == '"':
			inQuotes = !inQuotes
		case !inQuotes && c == '}':
			return i
		}
	}
	return -1
}

// readDBCommands reads the server's database command count from /metrics.
// ok is false when the server has no /metrics or no such counter.
func readDBCommands(ctx context.Context, c *client) (total float64, ok bool) {
	resp, err := c.fetch(ctx, Request{Method: http.MethodGet, Target: "/metrics"})
	if err != nil || resp.Status != http.StatusOK {
		return 0, false
	}
	return sumCounter(resp.Body, dbCommandsMetric)
}
