// Package ratelimit keeps a budget of cost points per client: each client
// has a bucket that holds up to a minute's worth of points and refills
// continuously. A request may start while its client's bucket is above
// zero, and is charged its query's cost when it ends, so a client can
// overdraw once and then waits for the refill.
//
// Buckets live in the memory of one instance: with n instances behind a
// balancer a client gets up to n budgets. They are safe to lose: a restart
// only forgives what clients spent.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"github.com/finder-platform/finder/model"
)

// Limiter holds the buckets.
type Limiter struct {
	now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	capacity float64 // points per minute, and the most a bucket holds
	points   float64
	updated  time.Time
}

// refilled is what the bucket holds at now, before the cap: it refills at
// its capacity per minute.
func (b *bucket) refilled(now time.Time) float64 {
	return b.points + now.Sub(b.updated).Seconds()*b.capacity/60
}

// maxBuckets bounds memory: past it, full buckets (idle clients) are dropped.
const maxBuckets = 100_000

// New returns a limiter; now is the clock (time.Now outside tests).
func New(now func() time.Time) *Limiter {
	return &Limiter{now: now, buckets: map[string]*bucket{}}
}

// Check returns the client's budget before this request, and how long to
// wait before trying again when it is spent (0 when the request may go on).
// perMinute is the client's rate; 0 means unlimited.
func (l *Limiter) Check(client string, perMinute int) (model.Budget, time.Duration) {
	if perMinute <= 0 {
		return model.Budget{}, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(client, float64(perMinute))
	budget := model.Budget{Capacity: perMinute, Available: int(math.Max(b.points, 0)), RefillPerSecond: b.capacity / 60}
	if b.points >= 1 {
		return budget, 0
	}
	wait := time.Duration((1 - b.points) / (b.capacity / 60) * float64(time.Second))
	return budget, max(wait, time.Second)
}

// Charge spends cost points of the client's budget.
func (l *Limiter) Charge(client string, perMinute, cost int) {
	if perMinute <= 0 || cost <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(client, float64(perMinute))
	// Overdrawing is allowed, down to one minute's worth below zero.
	b.points = math.Max(b.points-float64(cost), -b.capacity)
}

// bucket returns the client's bucket, refilled up to now. The caller holds mu.
func (l *Limiter) bucket(client string, capacity float64) *bucket {
	now := l.now()
	b, ok := l.buckets[client]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{capacity: capacity, points: capacity, updated: now}
		l.buckets[client] = b
	}
	b.capacity = capacity
	b.points = math.Min(b.refilled(now), capacity)
	b.updated = now
	return b
}

// sweep drops the buckets that have refilled: their clients owe nothing.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.refilled(now) >= b.capacity {
			delete(l.buckets, k)
		}
	}
}
