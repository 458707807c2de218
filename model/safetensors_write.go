package model

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// WriteSafetensors writes tensors (F32, BF16 or F16) as one safetensors file, through a
// temporary file renamed into place, so an interrupted write leaves nothing at path.
// Tensors are laid out in name order.
func WriteSafetensors(path string, tensors []Tensor) error {
	sorted := append([]Tensor(nil), tensors...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	header := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
	var off int64
	for _, t := range sorted {
		if t.DType.Size() == 0 {
			return fmt.Errorf("tensor %s: safetensors cannot hold %s", t.Name, t.DType)
		}
		if len(t.Data) != t.Elems()*t.DType.Size() {
			return fmt.Errorf("tensor %s: %d bytes for shape %v", t.Name, len(t.Data), t.Shape)
		}
		header[t.Name] = stEntry{DType: t.DType.String(), Shape: toInt64(t.Shape), Offsets: []int64{off, off + int64(len(t.Data))}}
		off += int64(len(t.Data))
	}
	h, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(h)%8 != 0 { // keep the data 8-byte aligned, as the HF writer does
		h = append(h, ' ')
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(h)))
	if _, err := tmp.Write(n[:]); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(h); err != nil {
		tmp.Close()
		return err
	}
	for _, t := range sorted {
		if _, err := tmp.Write(t.Data); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600 files
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func toInt64(s []int) []int64 {
	out := make([]int64, len(s))
	for i, v := range s {
		out[i] = int64(v)
	}
	return out
}
