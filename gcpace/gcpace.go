// Package gcpace paces Go's garbage collector for a server whose live heap
// is small.
//
// Go collects once the heap has grown by GOGC percent (100 by default) of
// what was live after the last collection. With the shipped catalog the
// server's live heap is about 5 MB, so under load it collected some 16
// times a second, and each mark phase took a share of one of the two cores
// from the answers being written: the slowest answers waited for it
// (bench/README.md). A Pacer lets the heap grow by at least a fixed
// headroom between collections, and by the live heap itself (Go's default)
// once that is larger: the heap stays within live + max(live, headroom).
package gcpace

import (
	"runtime/debug"
	"runtime/metrics"
)

// The runtime metrics a Pacer reads: the heap that the last collection
// found live, and the GOGC percent in force.
const (
	liveHeap = "/gc/heap/live:bytes"
	gogc     = "/gc/gogc:percent"
)

// Pacer sets the collector's GOGC percent from the live heap, each time
// Adjust is called.
type Pacer struct {
	headroom uint64
	percent  int
	sample   []metrics.Sample
}

// New returns a Pacer that lets the heap grow by at least headroom bytes
// between collections.
func New(headroom uint64) *Pacer {
	return &Pacer{headroom: headroom, sample: []metrics.Sample{{Name: liveHeap}}}
}

// Adjust sets GOGC for the heap live now. It is cheap: a runtime metric
// read, and a change only when the percent moves.
func (p *Pacer) Adjust() {
	metrics.Read(p.sample)
	if p.sample[0].Value.Kind() != metrics.KindUint64 {
		return // a runtime without the metric: keep Go's own pacing
	}
	if percent := Percent(p.sample[0].Value.Uint64(), p.headroom); percent != p.percent {
		debug.SetGCPercent(percent)
		p.percent = percent
	}
}

// Percent is the GOGC that lets a heap of live bytes grow by headroom
// bytes: never less than Go's default of 100, and at most 10,000, where a
// heap of a few hundred kilobytes (before the first collection) grows a
// hundredfold, still within the headroom.
func Percent(live, headroom uint64) int {
	if live == 0 {
		return 100
	}
	return min(max(100, int(headroom*100/live)), 10_000)
}

// GOGC is the GOGC percent in force, read without changing it.
func GOGC() int {
	s := []metrics.Sample{{Name: gogc}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}
