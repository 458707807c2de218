package vqvae

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// npzOf serializes tensors as a DEFLATE .npz, the way numpy.savez_compressed does.
func npzOf(t *testing.T, ts map[string]Tensor, extra ...member) []byte {
	t.Helper()
	ms := extra
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		tt := ts[n]
		shape := make([]string, len(tt.Shape))
		for i, d := range tt.Shape {
			shape[i] = fmt.Sprint(d)
		}
		dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s,), }", strings.Join(shape, ", "))
		ms = append(ms, member{name: n + ".npy", method: zip.Deflate, data: npyBytes(1, dict, f32Bytes(tt.Data...))})
	}
	return zipBytes(t, ms...)
}

func TestDecoderFromBytes(t *testing.T) {
	ts := zeroTensors()
	ts["decoder.12.bias"].Data[0] = 0.75
	// An encoder member of another dtype must be skipped, as LoadDecoder skips it.
	f8 := member{name: "encoder.0.weight.npy", method: zip.Store,
		data: npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8))}
	b := npzOf(t, ts, f8)
	d, err := DecoderFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := d.Decode([GridCodes]int{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range m {
		if v != 0.75 {
			t.Fatalf("logit %d = %g, want the final bias 0.75 (all weights are zero)", i, v)
		}
	}
	path := filepath.Join(t.TempDir(), "vae.npz")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, err := LoadDecoder(path)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := fromFile.Decode([GridCodes]int{1, 2, 3})
	if !slices.Equal(m, m2) {
		t.Error("DecoderFromBytes and LoadDecoder disagree")
	}

	delete(ts, "decoder.10.bias")
	if _, err := DecoderFromBytes(npzOf(t, ts)); err == nil || !strings.Contains(err.Error(), "decoder.10.bias") {
		t.Errorf("missing tensor: got %v", err)
	}
	if _, err := DecoderFromBytes([]byte("not a zip")); err == nil {
		t.Error("garbage accepted")
	}
	if _, err := DecoderFromBytes(nil); err == nil {
		t.Error("empty input accepted")
	}
}
