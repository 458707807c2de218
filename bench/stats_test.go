package bench

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{5}, 5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, 10, 1, 10, 1000}, 10}, // one outlier does not move it
		{[]float64{-1, -3}, -2},
	} {
		in := slices.Clone(c.in)
		if got := Median(in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
		if !slices.Equal(in, c.in) {
			t.Errorf("Median reordered its input: %v", in)
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) should be NaN")
	}
}

func TestSpread(t *testing.T) {
	lo, hi := Spread([]float64{3, -1, 7, 2})
	if lo != -1 || hi != 7 {
		t.Errorf("Spread = %v, %v; want -1, 7", lo, hi)
	}
	lo, hi = Spread([]float64{4})
	if lo != 4 || hi != 4 {
		t.Errorf("Spread of one = %v, %v", lo, hi)
	}
	lo, hi = Spread(nil)
	if !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Error("Spread(nil) should be NaN, NaN")
	}
}

func TestSeriesWarmup(t *testing.T) {
	s := NewSeries(2)
	for _, v := range []float64{1000, 900, 12, 10, 11, 14, 9} {
		s.Add(v)
	}
	if s.N() != 5 {
		t.Fatalf("N = %d, want 5 (two warm-up values dropped)", s.N())
	}
	if s.Median() != 11 || s.Min() != 9 || s.Max() != 14 {
		t.Errorf("median/min/max = %v/%v/%v, want 11/9/14", s.Median(), s.Min(), s.Max())
	}
	if mm := s.MinMax(); mm != (MinMax{9, 14}) {
		t.Errorf("MinMax = %v", mm)
	}
	if !slices.Equal(s.Values(), []float64{12, 10, 11, 14, 9}) {
		t.Errorf("Values = %v", s.Values())
	}
}

func TestSeriesUnits(t *testing.T) {
	s := NewSeries(0)
	s.AddDuration(1500 * time.Microsecond)
	if s.Median() != 1.5 {
		t.Errorf("AddDuration(1.5ms) recorded %v, want 1.5", s.Median())
	}
	r := NewSeries(0)
	r.AddRate(30, 2*time.Second)
	r.AddRate(30, 0)
	if v := r.Values(); v[0] != 15 || !math.IsNaN(v[1]) {
		t.Errorf("AddRate recorded %v, want [15 NaN]", v)
	}
	d := NewSeries(0)
	if got := d.Time(func() {}); got < 0 || d.N() != 1 {
		t.Errorf("Time: %v, N=%d", got, d.N())
	}
}

func TestParseCPUInfo(t *testing.T) {
	x86 := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC   9R45 96-Core Processor\nflags\t: fpu\n"
	if got := parseCPUInfo(x86); got != "AMD EPYC 9R45 96-Core Processor" {
		t.Errorf("x86: %q", got)
	}
	pi := "processor\t: 0\nBogoMIPS\t: 108.00\nCPU part\t: 0xd08\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n"
	if got := parseCPUInfo(pi); got != "Raspberry Pi 4 Model B Rev 1.4" {
		t.Errorf("pi: %q", got)
	}
	if got := parseCPUInfo("processor : 0\n"); got != "" {
		t.Errorf("none: %q", got)
	}
	if CPUName() == "" {
		t.Error("CPUName is empty")
	}
}

func TestPeakRSS(t *testing.T) {
	status := "Name:\tgo\nVmPeak:\t  100 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n"
	if got := parseVmHWM(status); got != 2048*1024 {
		t.Errorf("parseVmHWM = %d", got)
	}
	if parseVmHWM("Name: x\n") != 0 {
		t.Error("parseVmHWM without VmHWM should be 0")
	}
	if strings.Contains("linux darwin freebsd", runtime.GOOS) && PeakRSS() <= 0 {
		t.Errorf("PeakRSS = %d on %s", PeakRSS(), runtime.GOOS)
	}
}

func TestSumWords(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 100, 1001, 4096 + 13} {
		s := make([]uint64, n)
		var want uint64
		for i := range s {
			s[i] = uint64(i*i + 1)
			want += s[i]
		}
		if got := sumWords(s); got != want {
			t.Errorf("sumWords(len %d) = %d, want %d", n, got, want)
		}
		if got := sumStreams(s); got != want {
			t.Errorf("sumStreams(len %d) = %d, want %d: a word was skipped or read twice", n, got, want)
		}
	}
}

// TestReadBandwidth is a smoke test with a small buffer and a short window (well under a
// second): it checks that the probe returns a positive, finite rate, not how fast the
// machine is, since unit tests carry no timing assertions.
func TestReadBandwidth(t *testing.T) {
	p := NewReadProbe(32 << 20)
	if p.Bytes() != 32<<20 {
		t.Errorf("Bytes = %d", p.Bytes())
	}
	for _, threads := range []int{1, 2} {
		gbps := p.Measure(threads, 50*time.Millisecond)
		if !(gbps > 0) || math.IsInf(gbps, 0) {
			t.Errorf("%d threads: %v GB/s", threads, gbps)
		}
		t.Logf("%d threads: %.1f GB/s over %d MiB (cache-resident on big-L3 parts: a smoke test, not a figure)", threads, gbps, p.Bytes()>>20)
	}
	if gbps := ReadBandwidth(2, 1, time.Millisecond); !(gbps > 0) {
		t.Errorf("tiny probe: %v", gbps)
	}
	p.Close()
	p.Close() // twice is harmless
	if p.Bytes() != 0 || p.Measure(1, time.Millisecond) != 0 {
		t.Error("a closed probe should measure nothing")
	}
}

func BenchmarkSumWords(b *testing.B) {
	s := make([]uint64, 1<<20)
	for i := range s {
		s[i] = uint64(i)
	}
	b.SetBytes(int64(len(s)) * 8)
	for b.Loop() {
		probeSink.Add(sumWords(s))
	}
}

// BenchmarkReadProbe measures the machine for real (256 MiB, past any L3 this project
// targets): `go test ./bench/ -run X -bench ReadProbe -benchtime 1x`. It reports the best
// GB/s per thread count, for the default four-stream loop and for a single stream (the
// evidence for sumStreams). It is not run by `go test` without -bench.
func BenchmarkReadProbe(b *testing.B) {
	p := NewReadProbe(256 << 20)
	defer p.Close()
	for _, k := range []struct {
		name string
		f    func([]uint64) uint64
	}{{"streams", nil}, {"single", sumWords}} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", k.name, threads), func(b *testing.B) {
				p.Kernel = k.f
				var best float64
				for b.Loop() {
					best = max(best, p.Measure(threads, 300*time.Millisecond))
				}
				b.ReportMetric(best, "GB/s")
			})
		}
	}
}
