package runtime

import (
	goruntime "runtime"
	"sync"
	"sync/atomic"
)

// Pool is a fixed set of long-lived worker goroutines, one per thread the user asked
// for. Work is split into numbered tasks that workers claim with an atomic counter, so
// a call costs one wake-up per worker, not a goroutine or channel message per task.
type Pool struct {
	threads int
	wake    []chan struct{}
	wg      sync.WaitGroup
	next    atomic.Int64
	tasks   int64
	job     Job
	mu      sync.Mutex // one Run at a time
	closed  bool
}

// NewPool starts threads-1 workers (the caller of Run is the last one). threads ≤ 0
// means GOMAXPROCS, which Go sets from the CPU quota and affinity.
func NewPool(threads int) *Pool {
	if threads <= 0 {
		threads = goruntime.GOMAXPROCS(0)
	}
	p := &Pool{threads: threads}
	for w := 1; w < threads; w++ {
		ch := make(chan struct{})
		p.wake = append(p.wake, ch)
		go p.worker(w, ch)
	}
	return p
}

// Threads is the number of threads that work in Run.
func (p *Pool) Threads() int { return p.threads }

func (p *Pool) worker(id int, wake chan struct{}) {
	// Pinned so the OS keeps a worker's caches warm across calls; the goroutine sleeps
	// on its channel between calls and costs nothing then.
	goruntime.LockOSThread()
	for range wake {
		p.drain(id)
		p.wg.Done()
	}
}

func (p *Pool) drain(worker int) {
	for {
		t := p.next.Add(1) - 1
		if t >= p.tasks {
			return
		}
		p.job.Task(int(t), worker)
	}
}

// Job is work split into numbered tasks. Jobs are long-lived structs whose fields
// describe the current call, so that running one allocates nothing (a closure
// capturing its arguments would cost a heap allocation per call: 33 per token on a
// 4-layer model before this was a type).
type Job interface {
	Task(task, worker int)
}

// JobFunc adapts a function to Job, for code off the per-token path.
type JobFunc func(task, worker int)

// Task implements Job.
func (f JobFunc) Task(task, worker int) { f(task, worker) }

// Run calls job.Task(task, worker) for task in [0, tasks) across the pool and returns
// when all are done. worker is in [0, Threads()) and is stable for the duration of a
// task, so a job can index per-worker scratch with it.
func (p *Pool) Run(tasks int, job Job) {
	if tasks <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if tasks == 1 || p.threads == 1 {
		for t := 0; t < tasks; t++ {
			job.Task(t, 0)
		}
		return
	}
	p.job, p.tasks = job, int64(tasks)
	p.next.Store(0)
	helpers := min(len(p.wake), tasks-1)
	p.wg.Add(helpers)
	for i := 0; i < helpers; i++ {
		p.wake[i] <- struct{}{}
	}
	p.drain(0)
	p.wg.Wait()
	p.job = nil
}

// Close stops the workers.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	for _, ch := range p.wake {
		close(ch)
	}
}
