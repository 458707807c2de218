package model

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pgedge/pgedge/internal/atomicfile"
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
	tmp, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	defer tmp.Abort() // no-op after the commit
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(h)))
	w := bufio.NewWriter(tmp)
	w.Write(n[:])
	w.Write(h)
	for _, t := range sorted {
		w.Write(t.Data)
	}
	if err := w.Flush(); err != nil { // a bufio.Writer keeps its first error
		return err
	}
	return tmp.Commit()
}

func toInt64(s []int) []int64 {
	out := make([]int64, len(s))
	for i, v := range s {
		out[i] = int64(v)
	}
	return out
}
