package model

// Budget is a client's rate limit: points that refill over time, spent by
// the cost of each query.
type Budget struct {
	Capacity        int
	Available       int
	RefillPerSecond float64
}
