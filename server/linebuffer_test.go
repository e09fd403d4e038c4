package main

import (
	"errors"
	"strings"
	"testing"
)

func TestLineBufferWritesLinesTogetherAndInTime(t *testing.T) {
	out := &syncBuffer{}
	lines := newLineBuffer(out)
	for i := range 100 {
		if _, err := lines.Write([]byte(strings.Repeat("x", i) + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if out.String() != "" {
		t.Fatal("100 short lines were written out at once; they should wait for the next flush")
	}
	waitFor(t, 10*flushEvery, "the periodic flush", func() bool { return strings.Count(out.String(), "\n") == 100 })

	// A full buffer goes out at once, without waiting for the tick.
	long := strings.Repeat("y", lineBufferSize) + "\n"
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

func TestLineBufferReportsAFailedWrite(t *testing.T) {
	lines := newLineBuffer(failingWriter{})
	lines.Write([]byte(strings.Repeat("z", lineBufferSize) + "\n"))
	if _, err := lines.Write([]byte("next\n")); err == nil {
		t.Error("the write after a failed flush did not report the failure")
	}
	lines.Write([]byte("more\n"))
	if err := lines.Close(); err == nil {
		t.Error("Close did not report its failed flush")
	}
}
