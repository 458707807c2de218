package bench

import (
	"unsafe"

	"bufio"
	"errors"
	"github.com/pgedge/pgedge/internal/hugemem"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Machine limits, measured in the same process as the figures they normalise. The host
// drifts from moment to moment (54–79 GB/s were seen on the same 2 Zen 5 cores), so a
// bandwidth number from another day or another machine would make extend_bandwidth_fraction
// meaningless; measuring the probe beside the run makes the fraction comparable anywhere.

// ReadBandwidth measures streaming-read bandwidth in GB/s (1e9 bytes per second) with
// threads goroutines over a freshly allocated buffer of about bytes bytes, repeating passes
// for about dur and returning the best pass. bytes should be many times the last-level
// cache (256 MiB–1 GiB on a server part) so that the passes stream from DRAM; dur bounds
// the measuring passes only, not the allocation and first touch of the buffer.
//
// Callers that measure more than once (a --threads 1,2,4 scan, or a probe before and after
// a run) should keep a ReadProbe instead, so the buffer is allocated and touched once.
func ReadBandwidth(threads int, bytes int64, dur time.Duration) float64 {
	p := NewReadProbe(bytes)
	defer p.Close()
	return p.Measure(threads, dur)
}

// ReadProbe owns the probe buffer.
type ReadProbe struct {
	// Kernel, when set, replaces the pure-Go summing loop, e.g. with a SIMD streaming loop
	// from simd/ (wide loads can draw more bandwidth from one core than scalar ones, and
	// the probe must be a true upper bound or extend_bandwidth_fraction exceeds 1). It
	// must read every word of s and return a value that depends on all of them.
	Kernel func(s []uint64) uint64

	buf []uint64
	mem *probeMem
}

// probeMem is the buffer's backing store when it is not on the Go heap (a huge-page
// mapping on Linux). It is freed once, by Close or by a cleanup when the probe is
// dropped, so a caller that forgets Close leaks nothing.
type probeMem struct {
	once sync.Once
	free func()
}

func (m *probeMem) release() { m.once.Do(m.free) }

// minProbeBytes keeps the probe meaningful even when a caller passes something tiny
// (the measurement would then be cache bandwidth, but at least not a division by zero).
const minProbeBytes = 64 << 10

// NewReadProbe allocates about bytes bytes and writes every word. On Linux the buffer is
// an anonymous mapping advised for transparent huge pages: with 4 KiB pages the hardware
// prefetchers stop at every page boundary and TLB misses eat into the stream, and the
// probe should measure what the memory system can deliver, not what 4 KiB pages allow.
// Writing matters too: an untouched anonymous page that is only read is the kernel's
// shared zero page, and the "stream" would come from one cached 4 KiB page.
func NewReadProbe(bytes int64) *ReadProbe {
	bytes = max(bytes, minProbeBytes)
	n := int(bytes / 8)
	p := &ReadProbe{}
	// The same memory as the weights get with infer's default load (hugemem.Alloc), so
	// the probe and the extend stream read the same kind of pages.
	if mem, free, err := hugemem.Alloc(n * 8); err == nil {
		p.buf, p.mem = unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(mem))), n), &probeMem{free: free}
		runtime.AddCleanup(p, (*probeMem).release, p.mem)
	} else {
		p.buf = make([]uint64, n)
	}
	buf := p.buf
	// Touch in parallel: it is several times faster than one goroutine for a 1 GiB
	// buffer, and on multi-socket machines first touch spreads pages over the nodes
	// roughly as the measuring goroutines will read them.
	parallelChunks(n, runtime.NumCPU(), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			buf[i] = uint64(i) | 1
		}
	})
	return p
}

// Bytes is the size of the probe buffer (0 after Close).
func (p *ReadProbe) Bytes() int64 { return int64(len(p.buf)) * 8 }

// Close frees the buffer now rather than at the next garbage collection; a 1 GiB probe
// should not sit beside the model while it is being measured. Measure returns 0 after it.
func (p *ReadProbe) Close() {
	p.buf = nil
	if p.mem != nil {
		p.mem.release()
	}
}

// minProbePasses: the first pass pays for TLB misses and frequency ramp-up, so best-of
// needs at least a second one even when dur is very short.
const minProbePasses = 3

// Measure reads the whole buffer with threads goroutines (each summing its own contiguous
// slice) pass after pass, for at least minProbePasses passes and until dur has elapsed,
// and returns the best pass in GB/s. The best rather than the median pass is reported
// because the probe estimates a limit: interference from the rest of the host can only
// make a pass slower, never faster.
func (p *ReadProbe) Measure(threads int, dur time.Duration) float64 {
	threads = max(threads, 1)
	n := len(p.buf)
	if n == 0 {
		return 0
	}
	bytes := float64(n) * 8
	kernel := p.Kernel
	if kernel == nil {
		kernel = sumStreams
	}
	var best float64
	deadline := time.Now().Add(dur)
	for pass := 0; pass < minProbePasses || time.Now().Before(deadline); pass++ {
		d := p.pass(threads, kernel)
		if d <= 0 {
			continue
		}
		best = max(best, bytes/d.Seconds()/1e9)
	}
	runtime.KeepAlive(p) // the cleanup must not unmap the buffer during a pass
	return best
}

// pass runs one timed read of the buffer. The goroutines are started first and released
// together through a closed channel, so the timed interval holds reading only, not the
// scheduler's latency in starting them.
func (p *ReadProbe) pass(threads int, kernel func([]uint64) uint64) time.Duration {
	n := len(p.buf)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(threads)
	done.Add(threads)
	for t := 0; t < threads; t++ {
		lo, hi := n*t/threads, n*(t+1)/threads
		go func(s []uint64) {
			defer done.Done()
			ready.Done()
			<-start
			probeSink.Add(kernel(s))
		}(p.buf[lo:hi])
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	return time.Since(t0)
}

// probeSink receives every sum so the compiler cannot prove the reads dead.
var probeSink atomic.Uint64

// probeStreams is how many sequential streams one goroutine reads at once.
const probeStreams = 4

// sumStreams adds every word of s, reading it as probeStreams interleaved sequential
// streams (quarters of s). One scalar stream leaves a core short of misses in flight:
// the loop waits on each new line the prefetcher has not brought yet. Four streams give
// the prefetchers four independent sequences to run ahead on. On the 2-core Zen 5 dev
// host it read 15–45% more than one stream with one thread (BenchmarkReadProbe; the host
// is shared, hence the range).
func sumStreams(s []uint64) uint64 {
	q := len(s) / probeStreams &^ 7
	total := sumWords(s[probeStreams*q:]) // the tail that does not divide evenly
	p0, p1, p2, p3 := s[:q], s[q:2*q], s[2*q:3*q], s[3*q:4*q]
	var a0, a1, a2, a3, b0, b1, b2, b3 uint64
	for len(p0) >= 8 && len(p1) >= 8 && len(p2) >= 8 && len(p3) >= 8 {
		w0, w1, w2, w3 := (*[8]uint64)(p0), (*[8]uint64)(p1), (*[8]uint64)(p2), (*[8]uint64)(p3)
		// Two accumulators per stream keep the add chains short; the inner sums are
		// independent of each other and of the previous iteration.
		a0 += w0[0] + w0[1] + w0[2] + w0[3]
		b0 += w0[4] + w0[5] + w0[6] + w0[7]
		a1 += w1[0] + w1[1] + w1[2] + w1[3]
		b1 += w1[4] + w1[5] + w1[6] + w1[7]
		a2 += w2[0] + w2[1] + w2[2] + w2[3]
		b2 += w2[4] + w2[5] + w2[6] + w2[7]
		a3 += w3[0] + w3[1] + w3[2] + w3[3]
		b3 += w3[4] + w3[5] + w3[6] + w3[7]
		p0, p1, p2, p3 = p0[8:], p1[8:], p2[8:], p3[8:]
	}
	return total + a0 + a1 + a2 + a3 + b0 + b1 + b2 + b3
}

// sumWords adds s with eight independent accumulators (one accumulator would chain every
// add on the previous one's latency). The len(s) >= 8 guard lets the compiler drop every
// bounds check on the array view.
func sumWords(s []uint64) uint64 {
	var a0, a1, a2, a3, a4, a5, a6, a7 uint64
	for len(s) >= 8 {
		w := (*[8]uint64)(s)
		a0 += w[0]
		a1 += w[1]
		a2 += w[2]
		a3 += w[3]
		a4 += w[4]
		a5 += w[5]
		a6 += w[6]
		a7 += w[7]
		s = s[8:]
	}
	for _, v := range s {
		a0 += v
	}
	return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7
}

// parallelChunks calls f on [lo, hi) chunks of [0, n) from up to k goroutines.
func parallelChunks(n, k int, f func(lo, hi int)) {
	k = max(1, min(k, n))
	var wg sync.WaitGroup
	for t := 0; t < k; t++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(n*t/k, n*(t+1)/k)
	}
	wg.Wait()
}

// PeakRSS returns the process's peak resident set size in bytes: VmHWM from
// /proc/self/status on Linux, getrusage(RUSAGE_SELF) ru_maxrss elsewhere on Unix, 0 where
// neither exists. Peak rather than current RSS is what decides whether a model fits.
func PeakRSS() int64 { return peakRSS() }

// ResetPeakRSS restarts the peak RSS count (Linux ≥ 4.0, by writing 5 to
// /proc/self/clear_refs), so one process can report a separate peak for each
// configuration it measures. Elsewhere it returns an error and the peak stays
// process-wide; callers should then say so rather than report a misleading figure.
func ResetPeakRSS() error { return resetPeakRSS() }

// errUnsupported is returned where the OS offers no way to do what was asked.
var errUnsupported = errors.New("bench: not supported on " + runtime.GOOS)

// CPUName names the processor for reports: "model name" from /proc/cpuinfo on Linux
// (or the "Model" line that Raspberry Pi kernels give instead), the brand string from
// sysctl on Darwin and the BSDs, and runtime.GOARCH when nothing better is known.
func CPUName() string {
	if s := cpuNameOS(); s != "" {
		return s
	}
	return runtime.GOARCH
}

// parseCPUInfo takes the first "model name" line of a /proc/cpuinfo text, or failing that
// the first "Model" line (arm64 kernels have no "model name"; Raspberry Pi ones name the
// board there). Internal runs of spaces are collapsed, as some vendors pad the brand.
func parseCPUInfo(text string) string {
	var model string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		val = strings.Join(strings.Fields(val), " ")
		if val == "" {
			continue
		}
		switch key {
		case "model name":
			return val
		case "Model":
			if model == "" {
				model = val
			}
		}
	}
	return model
}

// parseVmHWM returns VmHWM from a /proc/self/status text in bytes (the kernel reports kB,
// meaning KiB), or 0 when absent.
func parseVmHWM(text string) int64 {
	for line := range strings.Lines(text) {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0
		}
		if len(f) > 1 && strings.EqualFold(f[1], "kB") {
			v *= 1024
		}
		return v
	}
	return 0
}
