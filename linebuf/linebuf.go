// Package linebuf gathers log lines and writes them out together.
package linebuf

import (
	"io"
	"sync"
	"time"
)

// Writer gathers a log's lines (the access log's) and writes them out
// together, every flushEvery or as soon as bufferSize bytes wait. Written one by
// one, a line a request is a write(2) a request: a sixth of what a cached
// role card costs the server (bench/README.md). A crash loses at most the
// last flushEvery of access lines; Close writes out the rest.
//
// Every Write is one whole line (slog's handlers write a record at once),
// so what reaches out is always whole lines, never interleaved with the
// other log's lines on the same output.
type Writer struct {
	out io.Writer

	mu  sync.Mutex
	buf []byte
	err error // the last failed write, returned by the next Write

	stop chan struct{}
	done chan struct{}
}

const (
	bufferSize = 32 << 10
	flushEvery = 100 * time.Millisecond
)

// New returns a Writer to out; Close it to write out the rest.
func New(out io.Writer) *Writer {
	b := &Writer{out: out, buf: make([]byte, 0, bufferSize), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushPeriodically()
	return b
}

// Write takes one whole line, and returns the error of the last write out
// that failed since the last Write.
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.err; err != nil {
		b.err = nil
		return 0, err
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= bufferSize {
		b.flushLocked()
	}
	return len(p), nil
}

func (b *Writer) flushLocked() {
	if len(b.buf) == 0 {
		return
	}
	if _, err := b.out.Write(b.buf); err != nil {
		b.err = err
	}
	b.buf = b.buf[:0]
}

func (b *Writer) flushPeriodically() {
	defer close(b.done)
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-b.stop:
			return
		}
		b.mu.Lock()
		b.flushLocked()
		b.mu.Unlock()
	}
}

// Close stops the periodic flush and writes out what is left.
func (b *Writer) Close() error {
	close(b.stop)
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
	return b.err
}
