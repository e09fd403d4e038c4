package gcpace

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, headroom uint64
		want           int
	}{
		{5 * mb, 64 * mb, 1280},  // the shipped catalog: collect at 69 MB, not 10
		{64 * mb, 64 * mb, 100},  // live as large as the headroom: Go's default
		{500 * mb, 64 * mb, 100}, // a large catalog: Go's default, never less
		{100 << 10, 64 * mb, 10_000},
		{0, 64 * mb, 100},
	} {
		if got := Percent(c.live, c.headroom); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.live, c.headroom, got, c.want)
		}
	}
}

// TestAdjustSetsGOGC checks that Adjust reaches the runtime: this test's
// live heap is a few megabytes, so a 1 GB headroom raises GOGC well above
// 100, and a headroom of one byte brings it back to 100.
func TestAdjustSetsGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC() // the live heap metric is measured by a collection
	New(1 << 30).Adjust()
	if got := GOGC(); got <= 1000 {
		t.Errorf("GOGC after Adjust with a 1 GB headroom = %d, want over 1000", got)
	}
	debug.SetGCPercent(500)
	New(1).Adjust()
	if got := GOGC(); got != 100 {
		t.Errorf("GOGC after Adjust with no headroom = %d, want 100", got)
	}
}
