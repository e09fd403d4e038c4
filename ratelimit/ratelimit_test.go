package ratelimit

import (
	"strconv"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestBudgetIsSpentAndRefills(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := New(c.now)
	const rate = 600 // points a minute: 10 a second

	budget, wait := l.Check("ip:1", rate)
	if budget.Available != 600 || budget.Capacity != 600 || wait != 0 {
		t.Fatalf("a new client: %+v, wait %v", budget, wait)
	}
	l.Charge("ip:1", rate, 599)
	if b, wait := l.Check("ip:1", rate); b.Available != 1 || wait != 0 {
		t.Errorf("at 1 point left: %+v, wait %v; want to go on", b, wait)
	}
	l.Charge("ip:1", rate, 50) // overdraws to -49
	b, wait := l.Check("ip:1", rate)
	if b.Available != 0 || wait != 5*time.Second {
		t.Errorf("overdrawn by 49: %+v, wait %v; want to wait 5s for 50 points at 10/s", b, wait)
	}
	if _, wait := l.Check("ip:2", rate); wait != 0 {
		t.Error("another client is limited by the first one's spending")
	}
	c.advance(5 * time.Second)
	if b, wait := l.Check("ip:1", rate); b.Available != 1 || wait != 0 {
		t.Errorf("after the refill: %+v, wait %v", b, wait)
	}
	c.advance(time.Hour)
	if b, _ := l.Check("ip:1", rate); b.Available != 600 {
		t.Errorf("a bucket refills past its capacity: %+v", b)
	}
	if _, wait := l.Check("ip:3", 0); wait != 0 {
		t.Error("a rate of 0 should be unlimited")
	}
}

func TestOverdraftIsBounded(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := New(c.now)
	l.Charge("k", 60, 1_000_000)
	if _, wait := l.Check("k", 60); wait != 61*time.Second {
		t.Errorf("wait %v after a huge charge; want 61s: a minute's worth below zero, and one point", wait)
	}
}

func TestIdleBucketsAreSwept(t *testing.T) {
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := New(c.now)
	for i := range maxBuckets {
		l.Charge(strconv.Itoa(i), 60, 1)
	}
	c.advance(time.Minute)
	l.Check("new client", 60)
	if n := len(l.buckets); n != 1 {
		t.Errorf("%d buckets after a sweep of refilled ones; want 1", n)
	}
}
