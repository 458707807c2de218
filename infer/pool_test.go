package infer

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

type countJob struct{ n atomic.Int64 }

func (c *countJob) Task(task, worker int) { c.n.Add(int64(task)) }

func TestPoolRunsEveryTask(t *testing.T) {
	for _, threads := range []int{1, 2, 3} {
		p := NewPool(threads)
		var j countJob
		for _, tasks := range []int{0, 1, 2, 7, 1000} {
			j.n.Store(0)
			p.Run(tasks, &j)
			if got, want := j.n.Load(), int64(tasks*(tasks-1)/2); got != want {
				t.Fatalf("%d threads, %d tasks: sum %d, want %d", threads, tasks, got, want)
			}
		}
		p.Close()
	}
}

// TestPoolHold: while the pool is held, a worker stays awake through gaps between
// steps of twice spinIters' spinning, where it falls asleep when the pool is not held.
// Counted over 20 steps, with room for a few scheduler hiccups.
func TestPoolHold(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	// How long spinIters iterations take here: the fastest of 5 timings.
	var probe atomic.Uint64
	spinTime := time.Hour
	for range 5 {
		t0 := time.Now()
		for i := 0; i < spinIters && probe.Load() == 0; i++ {
		}
		spinTime = min(spinTime, time.Since(t0))
	}
	gap := 2 * spinTime
	p := NewPool(2)
	defer p.Close()
	var j countJob
	// sleepsOver returns how often the worker went to sleep over 20 steps, each
	// followed by gap of the caller's work.
	sleepsOver := func() int64 {
		before := p.sleeps.Load()
		for range 20 {
			p.Run(8, &j)
			for t0 := time.Now(); time.Since(t0) < gap; {
			}
		}
		return p.sleeps.Load() - before
	}
	// Up to 3 attempts: a busy machine can hold the test's goroutine up for longer
	// than the worker's held spin.
	for attempt := 1; ; attempt++ {
		p.Hold()
		held := sleepsOver()
		p.Release()
		free := sleepsOver()
		t.Logf("gaps of %v between steps (spinIters take %v here): the worker slept %d times in 20 held, %d in 20 not held", gap, spinTime, held, free)
		if held <= 5 && free >= 1 {
			return
		}
		if attempt == 3 {
			t.Fatalf("the worker slept %d times in 20 gaps held (want ≤ 5), %d not held (want ≥ 1)", held, free)
		}
	}
}

// BenchmarkPoolRun is the fixed cost of one parallel step (a decode step makes ~8 per
// layer).
func BenchmarkPoolRun(b *testing.B) {
	p := NewPool(2)
	defer p.Close()
	var j countJob
	for i := 0; i < b.N; i++ {
		p.Run(64, &j)
	}
}

// orderJob records which tasks ran, how often, and on which worker.
type orderJob struct {
	runs   []atomic.Int32
	worker []atomic.Int32
}

func (o *orderJob) Task(task, worker int) {
	o.runs[task].Add(1)
	o.worker[task].Store(int32(worker))
}

func TestPoolRunStreamsRunsEveryTaskOnce(t *testing.T) {
	for _, threads := range []int{1, 2, 3, 4} {
		p := NewPool(threads)
		for _, tasks := range []int{0, 1, 2, 3, 5, 64, 1001} {
			for rep := 0; rep < 20; rep++ {
				o := &orderJob{runs: make([]atomic.Int32, tasks), worker: make([]atomic.Int32, tasks)}
				p.RunStreams(tasks, o)
				for i := range o.runs {
					if n := o.runs[i].Load(); n != 1 {
						t.Fatalf("%d threads, %d tasks: task %d ran %d times", threads, tasks, i, n)
					}
				}
			}
		}
		// A plain Run after RunStreams hands out tasks as before.
		var j countJob
		p.Run(100, &j)
		if j.n.Load() != 4950 {
			t.Fatalf("%d threads: Run after RunStreams: sum %d", threads, j.n.Load())
		}
		p.Close()
	}
}

func TestTaskRunClaims(t *testing.T) {
	var r taskRun
	r.b.Store(3<<32 | 7) // tasks 3..6
	var got []int
	for _, front := range []bool{true, false, true, false, true} {
		if task, ok := r.claim(front); ok {
			got = append(got, task)
		}
	}
	if want := []int{3, 6, 4, 5}; len(got) != len(want) || got[0] != 3 || got[1] != 6 || got[2] != 4 || got[3] != 5 {
		t.Fatalf("claims %v, want %v", got, want)
	}
}
