package convert

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

func tinyConfig(t *testing.T) *model.Config {
	cfg, err := model.Preset("pg2-tiny")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSyntheticDeterministic(t *testing.T) {
	cfg := tinyConfig(t)
	name := model.TextLayerName(1, "mlp.down_proj.weight")
	a, _ := NewSynthetic(cfg, 7).Tensor(name)
	prev := runtime.GOMAXPROCS(1)
	b, _ := NewSynthetic(cfg, 7).Tensor(name)
	runtime.GOMAXPROCS(prev)
	c, _ := NewSynthetic(cfg, 8).Tensor(name)
	if string(a.Data) != string(b.Data) {
		t.Fatal("same seed, different thread count: different weights")
	}
	if string(a.Data) == string(c.Data) {
		t.Fatal("different seeds gave the same weights")
	}
}

// failing serves a synthetic model but breaks one tensor half way through.
type failing struct {
	*Synthetic
	bad string
}

func (f failing) Tensor(name string) (model.Tensor, bool) {
	t, ok := f.Synthetic.Tensor(name)
	if name == f.bad {
		t.Data = t.Data[:len(t.Data)-4] // a truncated tensor
	}
	return t, ok
}

// TestInterruptedConvertLeavesNothing: a conversion that fails part way leaves no
// file at the output path, nor its temporary file.
func TestInterruptedConvertLeavesNothing(t *testing.T) {
	cfg := tinyConfig(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "m.pge")
	src := failing{NewSynthetic(cfg, 1), model.TextLayerName(2, "self_attn.o_proj.weight")}
	if _, err := Convert(out, cfg, src, Options{Policy: DefaultPolicy(quant.Q8)}); err == nil {
		t.Fatal("conversion of a broken source succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

// TestReportPoolsClasses checks the report's pooled class error against the tensors'
// own errors and that the same seed converts to the same model at every type.
func TestReportPoolsClasses(t *testing.T) {
	cfg := tinyConfig(t)
	syn := NewSynthetic(cfg, 3)
	rep, err := Convert(filepath.Join(t.TempDir(), "m.pge"), cfg, syn, Options{Policy: DefaultPolicy(quant.Q4)})
	if err != nil {
		t.Fatal(err)
	}
	for class, c := range rep.Classes {
		var sqErr, sqRef float64
		n := 0
		for _, tr := range rep.Tensors {
			if tr.Class == class {
				sqErr += tr.sqErr
				sqRef += tr.sqRef
				n++
			}
		}
		if n != c.Tensors {
			t.Errorf("%s: %d tensors, report says %d", class, n, c.Tensors)
		}
		if sqRef > 0 && math.Abs(math.Sqrt(sqErr/sqRef)-c.RelRMSError) > 1e-12 {
			t.Errorf("%s: pooled error %g, want %g", class, c.RelRMSError, math.Sqrt(sqErr/sqRef))
		}
	}
	if e := rep.Classes["norm"].RelRMSError; e != 0 {
		t.Errorf("norms are kept in F32 but show error %g", e)
	}
	if bpw := rep.Classes["mlp"].BitsPerWeight; bpw < 4 || bpw > 20 {
		t.Errorf("int4 mlp at %.2f bits/weight", bpw)
	}
}

// TestThreadsByteIdentical: the file does not depend on the number of workers,
// for a synthetic source (rows generated per chunk) and a safetensors one (rows
// decoded from F32 and BF16), and progress reaches the total.
func TestThreadsByteIdentical(t *testing.T) {
	cfg := tinyConfig(t)
	dir := t.TempDir()
	syn := NewSynthetic(cfg, 5)
	var tensors []model.Tensor
	for i, spec := range cfg.TensorSpecs() {
		if tt, ok := syn.Tensor(spec.Name); ok {
			if i%2 == 1 { // every other tensor as BF16
				f, _ := tt.Float32s(nil)
				b := make([]byte, 2*len(f))
				for k, v := range f {
					u := math.Float32bits(v) >> 16
					b[2*k], b[2*k+1] = byte(u), byte(u>>8)
				}
				tt.DType, tt.Data = quant.BF16, b
			}
			tensors = append(tensors, tt)
		}
	}
	st := filepath.Join(dir, "model.safetensors")
	if err := model.WriteSafetensors(st, tensors); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []quant.Type{quant.Q4, quant.Q8} {
		var files [][]byte
		var reports []*Report
		for _, src := range []string{"synthetic", "safetensors"} {
			for _, threads := range []int{1, 3, 8} {
				var s model.Source = NewSynthetic(cfg, 5)
				if src == "safetensors" {
					ck, err := model.OpenSafetensors(st)
					if err != nil {
						t.Fatal(err)
					}
					defer ck.Close()
					s = ck
				}
				out := filepath.Join(dir, src+".pge")
				var last, total int64
				rep, err := Convert(out, cfg, s, Options{Policy: DefaultPolicy(typ), Threads: threads,
					Progress: func(d, n int64) { last, total = d, n }})
				if err != nil {
					t.Fatal(err)
				}
				if last != total || total != rep.Params {
					t.Errorf("%s %v threads %d: progress ended at %d of %d, %d params", src, typ, threads, last, total, rep.Params)
				}
				if rep.Threads != threads || rep.WeightsPerSec <= 0 || rep.InputMBPerSec <= 0 {
					t.Errorf("%s %v threads %d: report threads %d, %g weights/s, %g MB/s", src, typ, threads, rep.Threads, rep.WeightsPerSec, rep.InputMBPerSec)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, b)
				reports = append(reports, rep)
				if src == "synthetic" && threads == 1 {
					continue
				}
				if src == "synthetic" && string(b) != string(files[0]) {
					t.Errorf("synthetic %v: %d threads wrote a different file than 1 thread", typ, threads)
				}
				if src == "safetensors" && threads > 1 && string(b) != string(files[3]) {
					t.Errorf("safetensors %v: %d threads wrote a different file than 1 thread", typ, threads)
				}
				if a, b := reports[len(reports)-1].Classes["mlp"].RelRMSError, reports[0].Classes["mlp"].RelRMSError; src == "synthetic" && a != b {
					t.Errorf("synthetic %v: mlp error %g with %d threads, %g with 1", typ, a, threads, b)
				}
			}
		}
	}
}
