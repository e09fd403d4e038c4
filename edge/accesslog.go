package edge

import (
	"io"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// accessLog writes the line a request, exactly as slog's text or JSON
// handler would write the record, so the log reads as one. It is written
// by hand because it is written for every request: slog's general
// machinery cost a cached answer more than the rest of the edge did.
type accessLog struct {
	out  io.Writer // whole lines, one Write each
	json bool
}

// accessLine is what one line says.
type accessLine struct {
	ID, Method, Path string
	Status           int
	Operation        string
	Cost             int
	Outcome, Cache   string
	Key              string
	Took             time.Duration
	Bytes            int
}

var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func (l *accessLog) write(at time.Time, a accessLine) {
	bp := lineBuffers.Get().(*[]byte)
	b := (*bp)[:0]
	if l.json {
		b = append(b, `{"time":"`...)
		b = at.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"INFO","msg":"request"`...)
	} else {
		b = append(b, "time="...)
		b = at.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
		b = append(b, " level=INFO msg=request"...)
	}
	b = l.str(b, "request_id", a.ID)
	b = l.str(b, "method", a.Method)
	b = l.str(b, "path", a.Path)
	b = l.num(b, "status", int64(a.Status))
	b = l.str(b, "operation", a.Operation)
	b = l.num(b, "cost", int64(a.Cost))
	b = l.str(b, "outcome", a.Outcome)
	b = l.str(b, "cache", a.Cache)
	b = l.str(b, "key", a.Key)
	if l.json {
		b = l.num(b, "duration", int64(a.Took)) // slog's JSON: nanoseconds
	} else {
		b = append(b, " duration="...)
		b = append(b, a.Took.String()...)
	}
	b = l.num(b, "bytes", int64(a.Bytes))
	if l.json {
		b = append(b, '}')
	}
	b = append(b, '\n')
	_, _ = l.out.Write(b)
	*bp = b
	lineBuffers.Put(bp)
}

// str appends a string attribute as slog's handler would.
func (l *accessLog) str(b []byte, key, v string) []byte {
	if l.json {
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		return appendJSONString(b, v)
	}
	b = append(b, ' ')
	b = append(b, key...)
	b = append(b, '=')
	if needsQuoting(v) {
		return strconv.AppendQuote(b, v)
	}
	return append(b, v...)
}

// num appends a number attribute.
func (l *accessLog) num(b []byte, key string, v int64) []byte {
	if l.json {
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
	} else {
		b = append(b, ' ')
		b = append(b, key...)
		b = append(b, '=')
	}
	return strconv.AppendInt(b, v, 10)
}

// needsQuoting is slog's text rule: an empty string, or one with a space,
// '=', '"', a control character or anything unprintable, is quoted.
func needsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			if r == ' ' || r == '=' || r == '"' || r < 0x20 {
				return true
			}
			continue
		}
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
	}
	return false
}

// appendJSONString appends s as a JSON string, escaped as slog's JSON
// handler escapes it.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
