package linebuf

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWritesLinesTogetherAndInTime(t *testing.T) {
	out := &syncBuffer{}
	lines := New(out)
	for i := range 100 {
		if _, err := lines.Write([]byte(strings.Repeat("x", i) + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if out.String() != "" {
		t.Fatal("100 short lines were written out at once; they should wait for the next flush")
	}
	for deadline := time.Now().Add(10 * flushEvery); strings.Count(out.String(), "\n") != 100; time.Sleep(flushEvery / 10) {
		if time.Now().After(deadline) {
			t.Fatal("the periodic flush did not come")
		}
	}

	// A full buffer goes out at once, without waiting for the tick.
	long := strings.Repeat("y", bufferSize) + "\n"
	lines.Write([]byte(long))
	if !strings.HasSuffix(out.String(), long) {
		t.Fatal("a full buffer was not written out at once")
	}

	lines.Write([]byte("last\n"))
	if err := lines.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "\nlast\n") {
		t.Fatal("Close did not write out the last line")
	}
	if out.writes != 3 {
		t.Errorf("%d writes for 102 lines; want them gathered into 3", out.writes)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReportsAFailedWrite(t *testing.T) {
	lines := New(failingWriter{})
	lines.Write([]byte(strings.Repeat("z", bufferSize) + "\n"))
	if _, err := lines.Write([]byte("next\n")); err == nil {
		t.Error("the write after a failed flush did not report the failure")
	}
	lines.Write([]byte("more\n"))
	if err := lines.Close(); err == nil {
		t.Error("Close did not report its failed flush")
	}
}

// syncBuffer is an output written by the flush and read by the test.
type syncBuffer struct {
	mu     sync.Mutex
	b      strings.Builder
	writes int
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
