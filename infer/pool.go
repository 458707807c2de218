package infer

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Pool is a fixed set of long-lived worker goroutines, one per thread the user asked
// for. Work is split into numbered tasks that workers claim with an atomic counter,
// so a step costs no goroutine or channel message per task.
//
// Between steps a worker spins on the step counter before it sleeps. A decode step of
// PaliGemma 2 3B is ~240 parallel steps of 0.1–1 ms each with microseconds between
// them; waking a sleeping locked thread took 50–100 µs on the 2-vCPU dev VM, so with
// sleeping workers the second thread did 45% of the work, not 50% (2 threads decoded
// 3.75 tokens/s against 3.32 with 1). Spinning for spinIters (~100 µs) keeps workers
// awake through a token and lets them sleep when the model is idle; Hold keeps them
// awake longer through one piece of the model's work.
//
// Workers are not locked to their OS threads (LockOSThread): a locked goroutine's
// runtime.Gosched hands its P to another thread and back (two wake-ups), and a held
// worker yields often. Hold and unlocked, yielding workers together, against the
// locked workers without Hold (2026-12-08, Xeon, 3B INT8, pgedge bench, 2
// interleaved rounds): vision 485–489 → 431–442 ms, extend 8.43–8.61 → 8.81–8.82
// tokens/s, a batch of 8 171–174 → 158–162 ms per step; the infer tests 8.9 → 6.1 s
// (arm64 under qemu 144 → 133 s).
type Pool struct {
	threads int
	spin    int             // spinIters, or 0 when there are more threads than GOMAXPROCS
	wake    []chan struct{} // per worker, capacity 1
	asleep  []atomic.Bool
	step    atomic.Uint64 // incremented by every Run
	done    atomic.Int64  // workers finished with the current step
	next    atomic.Int64
	tasks   int64
	job     Job
	// runs is set for a step of RunStreams: worker w's contiguous share of the tasks.
	runs    []taskRun
	streams bool
	mu      sync.Mutex // one Run at a time
	closed  atomic.Bool
	held    atomic.Int32 // Holds not yet released
	sleeps  atomic.Int64 // times a worker went to sleep (tests)
}

// spinIters bounds a worker's busy wait for the next step (an atomic load per
// iteration: ~100 µs).
const spinIters = 1 << 17

// NewPool starts threads-1 workers (the caller of Run is the last one). threads ≤ 0
// means GOMAXPROCS, which Go sets from the CPU quota and affinity.
func NewPool(threads int) *Pool {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	p := &Pool{threads: threads, asleep: make([]atomic.Bool, threads), spin: spinIters, runs: make([]taskRun, threads)}
	if threads > runtime.GOMAXPROCS(0) {
		p.spin = 0 // a spinning worker would take the CPU of one with work
	}
	for w := 1; w < threads; w++ {
		p.wake = append(p.wake, make(chan struct{}, 1))
	}
	for w := 1; w < threads; w++ {
		go p.worker(w)
	}
	return p
}

// Hold keeps the workers awake until the matching Release. The model holds the pool
// over a decode step, a prefill piece or a vision piece: their parallel steps follow
// each other with serial work between them that can outlast spinIters (39 µs on the
// 2-vCPU Xeon of 2026-12-07, where at 8 sequences a step's attention took 330 µs for
// 208 µs of work: the worker had gone to sleep and had to be woken, 50–100 µs).
//
// Held, a worker goes on looking for the next step up to heldSpins·spinIters times,
// calling runtime.Gosched every 256 looks, so that any other goroutine that wants
// the CPU (an HTTP handler, the garbage collector, a test's reference model) gets it
// at once: a worker that kept its P spinning had made TestQuantized 6.5 → 8.7 s.
// Outside a held span (between tokens, in the caller's code, on an idle server) a
// worker spins spinIters times and sleeps, as before. Holds nest.
func (p *Pool) Hold() { p.held.Add(1) }

// heldSpins: within a Hold, workers look up to heldSpins·spinIters times.
const heldSpins = 16

// Release ends a Hold.
func (p *Pool) Release() { p.held.Add(-1) }

// Threads is the number of threads that work in Run.
func (p *Pool) Threads() int { return p.threads }

func (p *Pool) worker(id int) {
	var seen uint64
	for {
		for spins := 0; p.step.Load() == seen; spins++ {
			if spins < p.spin {
				continue
			}
			if spins < heldSpins*p.spin && p.held.Load() > 0 {
				if spins%256 == 0 {
					runtime.Gosched()
				}
				continue
			}
			// Announce the sleep, then look again: Run bumps the step before it
			// checks asleep, so one of the two sides always sees the other.
			p.asleep[id].Store(true)
			if p.step.Load() == seen {
				p.sleeps.Add(1)
				<-p.wake[id-1] // a stale token only causes one more look
			}
			p.asleep[id].Store(false)
			spins = 0
		}
		seen = p.step.Load()
		if p.closed.Load() {
			return
		}
		p.drain(id)
		p.done.Add(1)
	}
}

func (p *Pool) drain(worker int) {
	if p.streams {
		p.drainRuns(worker)
		return
	}
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
	p.runLocked(tasks, job)
}

// runLocked runs one parallel step; p.mu is held.
func (p *Pool) runLocked(tasks int, job Job) {
	p.job, p.tasks = job, int64(tasks)
	p.next.Store(0)
	p.done.Store(0)
	p.step.Add(1)
	p.wakeSleepers()
	p.drain(0)
	for helpers, spins := int64(p.threads-1), 0; p.done.Load() < helpers; spins++ {
		if spins%64 == 63 {
			// Wake again anyone still asleep. Under Go's memory model the step/asleep
			// handshake cannot lose a wake-up, but arm64 under qemu (x86 host, TCG)
			// once did: CI hung with the caller waiting here and a worker asleep on its
			// channel. A spare token only costs that worker one more look.
			p.wakeSleepers()
		}
		runtime.Gosched()
	}
	p.job = nil
}

// taskRun is the unclaimed tasks [lo, hi) of one worker's share in RunStreams, packed
// as lo<<32 | hi so that the owner (from the front) and thieves (from the back) claim
// with one compare-and-swap. Padded to its own cache line.
type taskRun struct {
	b atomic.Uint64
	_ [56]byte
}

// claim takes the first (front) or last task of the run; ok is false when it is empty.
func (r *taskRun) claim(front bool) (task int, ok bool) {
	for {
		b := r.b.Load()
		lo, hi := b>>32, b&0xffffffff
		if lo >= hi {
			return 0, false
		}
		nb, t := (lo+1)<<32|hi, lo
		if !front {
			nb, t = lo<<32|(hi-1), hi-1
		}
		if r.b.CompareAndSwap(b, nb) {
			return int(t), true
		}
	}
}

// RunStreams is Run for jobs whose consecutive tasks read consecutive memory (the row
// panels of one decode-step matrix): worker w works through the w-th contiguous share
// of the tasks in order, so each thread reads one sequential stream, and a worker that
// finishes early takes tasks from the back of the others' shares. With tasks handed out
// round-robin (Run), each thread's reads jumped by a panel every 16 rows: the hardware
// prefetcher restarted on every panel and the software prefetch ran 2 KB into the
// other thread's rows. On PaliGemma 2 3B INT8 at 2 threads (dev VM, another process
// converting a model beside it) a decode step took 200–212 ms with Run and 16-row
// panels, 187–205 ms with 256-row panels (whose tail leaves a thread idle), and
// 182–196 ms with RunStreams and 16-row panels.
func (p *Pool) RunStreams(tasks int, job Job) {
	if tasks <= 0 {
		return
	}
	if tasks == 1 || p.threads == 1 {
		p.Run(tasks, job)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for w := range p.runs {
		lo, hi := uint64(tasks*w/p.threads), uint64(tasks*(w+1)/p.threads)
		p.runs[w].b.Store(lo<<32 | hi)
	}
	p.streams = true
	p.runLocked(tasks, job)
	p.streams = false
}

func (p *Pool) drainRuns(worker int) {
	for {
		t, ok := p.runs[worker].claim(true)
		if !ok {
			break
		}
		p.job.Task(t, worker)
	}
	for i := 1; i < p.threads; i++ {
		r := &p.runs[(worker+i)%p.threads]
		for {
			t, ok := r.claim(false)
			if !ok {
				break
			}
			p.job.Task(t, worker)
		}
	}
}

func (p *Pool) wakeSleepers() {
	for w := 1; w < p.threads; w++ {
		if p.asleep[w].Load() {
			select {
			case p.wake[w-1] <- struct{}{}:
			default: // a token is already waiting
			}
		}
	}
}

// Close stops the workers.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Swap(true) {
		return
	}
	p.step.Add(1)
	p.wakeSleepers()
}
