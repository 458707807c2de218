package runtime

import (
	"sync/atomic"
	"testing"
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
