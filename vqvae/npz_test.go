package vqvae

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// npyBytes builds an .npy member: version major, the given header dict, and raw data.
func npyBytes(major byte, dict string, data []byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.WriteByte(major)
	b.WriteByte(0)
	pre := 10
	if major != 1 {
		pre = 12
	}
	// numpy pads the header with spaces so that data starts at a multiple of 64 bytes.
	h := dict
	for (pre+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	if major == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(h)))
	}
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

func f32Bytes(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

type member struct {
	name   string
	method uint16
	data   []byte
}

func zipBytes(t *testing.T, ms ...member) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range ms {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: m.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readZip(b []byte) (map[string]Tensor, error) {
	return ReadNPZ(bytes.NewReader(b), int64(len(b)))
}

func TestReadNPZVersionsAndMethods(t *testing.T) {
	vals := []float32{1, -2.5, float32(math.Pi), 0, 7, 8}
	for _, major := range []byte{1, 2, 3} {
		for _, method := range []uint16{zip.Store, zip.Deflate} {
			t.Run(fmt.Sprintf("v%d_method%d", major, method), func(t *testing.T) {
				z := zipBytes(t,
					member{"a.b.npy", method, npyBytes(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f32Bytes(vals...))},
					member{"scalar.npy", method, npyBytes(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", f32Bytes(42))},
					member{"vec.npy", method, npyBytes(major, `{"descr": "<f4", "fortran_order": False, "shape": (1,)}`, f32Bytes(3))},
					member{"empty.npy", method, npyBytes(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", nil)},
					member{"notes.txt", method, []byte("ignored")},
				)
				m, err := readZip(z)
				if err != nil {
					t.Fatal(err)
				}
				if len(m) != 4 {
					t.Fatalf("got %d tensors", len(m))
				}
				if a := m["a.b"]; !slices.Equal(a.Shape, []int{2, 3}) || !slices.Equal(a.Data, vals) {
					t.Errorf("a.b = %+v", a)
				}
				if s := m["scalar"]; len(s.Shape) != 0 || !slices.Equal(s.Data, []float32{42}) {
					t.Errorf("scalar = %+v", s)
				}
				if v := m["vec"]; !slices.Equal(v.Shape, []int{1}) || v.Data[0] != 3 {
					t.Errorf("vec = %+v", v)
				}
				if e := m["empty"]; !slices.Equal(e.Shape, []int{0, 5}) || len(e.Data) != 0 {
					t.Errorf("empty = %+v", e)
				}
			})
		}
	}
}

func TestReadNPZErrors(t *testing.T) {
	good := "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
	cases := []struct {
		name string
		data []byte
		want string // substring of the error
	}{
		{"f8", npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", make([]byte, 16)), "dtype"},
		{"bigendian", npyBytes(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", make([]byte, 8)), "dtype"},
		{"fortran", npyBytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", make([]byte, 8)), "fortran"},
		{"short data", npyBytes(1, good, make([]byte, 7)), "data bytes"},
		{"long data", npyBytes(1, good, make([]byte, 12)), "data bytes"},
		{"bad magic", append([]byte("\x93NUMPX\x01\x00"), npyBytes(1, good, make([]byte, 8))[8:]...), "magic"},
		{"version 4", func() []byte { b := npyBytes(1, good, make([]byte, 8)); b[6] = 4; return b }(), "version"},
		{"truncated", []byte("\x93NUM"), "preamble"},
		{"huge header", func() []byte { b := npyBytes(1, good, make([]byte, 8)); b[8], b[9] = 0xff, 0xff; return b }(), "header length"},
		{"no shape", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, }", nil), "shape"},
		{"bad shape", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", nil), "shape"},
		{"negative", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", nil), "shape"},
		{"absurd shape", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000, 1000000), }", nil), "too large"},
		{"overflow dim", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", nil), "shape"},
		{"extra key", npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", make([]byte, 8)), "unknown key"},
		{"not a dict", npyBytes(1, "descr", make([]byte, 8)), "malformed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z := zipBytes(t, member{"bad.tensor.npy", zip.Deflate, c.data})
			_, err := readZip(z)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "bad.tensor.npy") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q should name the member and mention %q", err, c.want)
			}
		})
	}
	if _, err := readZip([]byte("not a zip")); err == nil {
		t.Error("garbage accepted")
	}
	// A corrupted STORE member fails the CRC check that runs when the data is read to EOF.
	z := zipBytes(t, member{"c.npy", zip.Store, npyBytes(1, good, f32Bytes(1, 2))})
	i := bytes.Index(z, f32Bytes(1, 2))
	z[i] ^= 1
	if _, err := readZip(z); err == nil || !strings.Contains(err.Error(), "c.npy") {
		t.Errorf("CRC error not reported: %v", err)
	}
}

// TestReadNPZReference reads every member of each reference vae-oid.npz and checks the
// names and shapes against index.json.
func TestReadNPZReference(t *testing.T) {
	for _, rs := range loadRefSets(t) {
		m, err := ReadNPZFile(filepath.Join(rs.dir, rs.idx.Weights.File))
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != len(rs.idx.Weights.Tensors) {
			t.Errorf("%d tensors, index.json lists %d", len(m), len(rs.idx.Weights.Tensors))
		}
		for _, tt := range rs.idx.Weights.Tensors {
			got, ok := m[tt.Name]
			if !ok {
				t.Errorf("%s missing", tt.Name)
				continue
			}
			if !slices.Equal(got.Shape, tt.Shape) {
				t.Errorf("%s: shape %v, index.json %v", tt.Name, got.Shape, tt.Shape)
			}
		}
	}
}

func FuzzReadNPZ(f *testing.F) {
	good := npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f32Bytes(1, 2))
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "x.npy", Method: method})
		w.Write(good)
		zw.Close()
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, z []byte) {
		m, err := readZip(z)
		if err != nil {
			return
		}
		for name, tt := range m {
			n := 1
			for _, d := range tt.Shape {
				n *= d
			}
			if n != len(tt.Data) {
				t.Fatalf("%s: shape %v with %d values", name, tt.Shape, len(tt.Data))
			}
		}
	})
}

// FuzzReadNPY fuzzes the .npy parser directly (mutating a whole zip rarely reaches it).
func FuzzReadNPY(f *testing.F) {
	f.Add(npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f32Bytes(1, 2)))
	f.Add(npyBytes(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", f32Bytes(1)))
	f.Add(npyBytes(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 0, 3), }", nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		tt, err := readNPY(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		n := 1
		for _, d := range tt.Shape {
			n *= d
		}
		if n != len(tt.Data) {
			t.Fatalf("shape %v with %d values", tt.Shape, len(tt.Data))
		}
	})
}
