// Package bench is the measuring library behind `pgedge bench`, `pgedge eval`, the Go
// benchmarks and CI's regression gate. It knows nothing about the model: callers hand it
// plain numbers (timings, logits rows, token ids, boxes) and it turns them into the
// statistics, machine limits, accuracy metrics, reports, baselines and plots that the
// commands print.
package bench

import (
	"math"
	"slices"
	"time"
)

// Median returns the median of xs (the mean of the two middle values for an even count),
// or NaN for an empty slice. It sorts a copy, so the caller's order (often the run order,
// which is worth keeping for drift diagnosis) is left alone.
//
// The median rather than the mean is the headline figure because a shared host produces
// one-sided outliers (a neighbour's burst makes a run slower, never faster), and the
// median ignores them where the mean is dragged along.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Spread returns the smallest and largest value of xs (NaN, NaN when empty). It is
// reported beside every median so a reader can tell a steady figure from a noisy one.
func Spread(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	lo, hi = xs[0], xs[0]
	for _, x := range xs[1:] {
		lo = min(lo, x)
		hi = max(hi, x)
	}
	return lo, hi
}

// MinMax is the JSON form of a spread: {"min": ..., "max": ...}, in the unit of the
// figure it belongs to.
type MinMax struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Scale multiplies both ends by f (f ≥ 0), e.g. to turn a tokens/s spread into GB/s.
func (m MinMax) Scale(f float64) MinMax { return MinMax{Min: m.Min * f, Max: m.Max * f} }

// Series collects repeated measurements of one figure. The first Warmup values passed to
// Add are dropped: the first runs pay for page faults on the mmapped weights, cold caches,
// CPU frequency ramp-up and lazy initialisation, none of which a steady-state figure
// should include.
//
// Record one value per run in the unit that will be reported (milliseconds for times,
// tokens/s for rates): the median of per-run rates is what the user experiences, and for
// an odd number of runs it equals the rate of the median time anyway.
type Series struct {
	Warmup  int // number of leading values to discard
	seen    int
	samples []float64
}

// NewSeries returns a Series that drops the first warmup values.
func NewSeries(warmup int) *Series { return &Series{Warmup: warmup} }

// Add records one measurement (or discards it while warming up).
func (s *Series) Add(x float64) {
	s.seen++
	if s.seen <= s.Warmup {
		return
	}
	s.samples = append(s.samples, x)
}

// AddDuration records d in milliseconds, the unit of every *_ms field.
func (s *Series) AddDuration(d time.Duration) { s.Add(Milliseconds(d)) }

// AddRate records count/d per second (e.g. tokens/s); a zero duration is recorded as NaN
// rather than +Inf so that a broken timer shows up instead of a fantastic figure.
func (s *Series) AddRate(count float64, d time.Duration) {
	if d <= 0 {
		s.Add(math.NaN())
		return
	}
	s.Add(count / d.Seconds())
}

// Time runs f once, records its wall time in milliseconds and returns the duration.
func (s *Series) Time(f func()) time.Duration {
	t0 := time.Now()
	f()
	d := time.Since(t0)
	s.AddDuration(d)
	return d
}

// N is the number of values kept (after warm-up).
func (s *Series) N() int { return len(s.samples) }

// Values returns the kept values in the order they were recorded.
func (s *Series) Values() []float64 { return slices.Clone(s.samples) }

// Median of the kept values (NaN when none).
func (s *Series) Median() float64 { return Median(s.samples) }

// Min of the kept values (NaN when none).
func (s *Series) Min() float64 { lo, _ := Spread(s.samples); return lo }

// Max of the kept values (NaN when none).
func (s *Series) Max() float64 { _, hi := Spread(s.samples); return hi }

// MinMax of the kept values, ready for a report's spread.
func (s *Series) MinMax() MinMax {
	lo, hi := Spread(s.samples)
	return MinMax{Min: lo, Max: hi}
}

// Milliseconds converts d to float milliseconds without the truncation of
// d.Milliseconds(), which would turn a 0.8 ms vision pass into 0.
func Milliseconds(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
