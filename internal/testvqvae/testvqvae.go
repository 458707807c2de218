// Package testvqvae makes stand-ins for the segmentation VQ-VAE in tests.
package testvqvae

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
)

// NPZ builds a vae-oid.npz-shaped archive whose weights are all zero except the
// final bias, so every decoded logit equals bias (a full-box mask when positive).
func NPZ(bias float32) []byte {
	shapes := map[string][]int{
		"_vq_vae._embedding": {128, 512}, "decoder.0.weight": {128, 512, 1, 1}, "decoder.0.bias": {128},
		"decoder.12.weight": {1, 16, 1, 1}, "decoder.12.bias": {1},
	}
	for _, b := range []string{"decoder.2", "decoder.3"} {
		for _, l := range []string{"net.0", "net.2"} {
			shapes[b+"."+l+".weight"] = []int{128, 128, 3, 3}
			shapes[b+"."+l+".bias"] = []int{128}
		}
		shapes[b+".net.4.weight"] = []int{128, 128, 1, 1}
		shapes[b+".net.4.bias"] = []int{128}
	}
	ch := []int{128, 128, 64, 32, 16}
	for i, l := range []string{"decoder.4", "decoder.6", "decoder.8", "decoder.10"} {
		shapes[l+".weight"] = []int{ch[i], ch[i+1], 4, 4}
		shapes[l+".bias"] = []int{ch[i+1]}
	}
	names := make([]string, 0, len(shapes))
	for n := range shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		shape := shapes[name]
		n := 1
		dims := make([]string, len(shape))
		for i, d := range shape {
			n *= d
			dims[i] = fmt.Sprint(d)
		}
		data := make([]byte, 4*n)
		if name == "decoder.12.bias" {
			binary.LittleEndian.PutUint32(data, math.Float32bits(bias))
		}
		hdr := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s,), }", strings.Join(dims, ", "))
		for (10+len(hdr)+1)%64 != 0 {
			hdr += " "
		}
		hdr += "\n"
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Deflate})
		if err != nil {
			panic(err) // a bytes.Buffer does not fail
		}
		var pre [10]byte
		copy(pre[:], "\x93NUMPY\x01\x00")
		binary.LittleEndian.PutUint16(pre[8:], uint16(len(hdr)))
		w.Write(pre[:])
		w.Write([]byte(hdr))
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
