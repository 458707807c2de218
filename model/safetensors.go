package model

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/edsrzf/mmap-go"
	"github.com/pgedge/pgedge/quant"
)

// Tensor is a view of one stored tensor. Data points into a read-only mapping that
// belongs to the Source it came from: it stays valid until that Source is closed.
type Tensor struct {
	Name  string
	DType quant.Type // F32, BF16 or F16 in safetensors; any type in a .pge file
	Shape []int
	Data  []byte
}

// Elems is the product of the shape.
func (t Tensor) Elems() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Source is anything that holds a model's tensors by their Hugging Face names: a
// safetensors checkpoint or a .pge file.
type Source interface {
	Tensor(name string) (Tensor, bool)
	Close() error
}

// safetensorsFile is one mapped .safetensors file.
type safetensorsFile struct {
	path    string
	mapping mmap.MMap
	tensors map[string]Tensor
}

// maxHeader bounds the JSON header so a hostile length cannot make us allocate
// gigabytes; real headers are well under 1 MB (a 3B checkpoint: ~90 KB).
const maxHeader = 100 << 20

type stEntry struct {
	DType   string  `json:"dtype"`
	Shape   []int64 `json:"shape"`
	Offsets []int64 `json:"data_offsets"`
}

// parseSafetensors validates a safetensors byte image and returns views into it. It
// checks every offset and length before slicing, so malformed input gives an error,
// never a panic or an out-of-bounds read.
func parseSafetensors(data []byte, name string) (map[string]Tensor, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("%s: file of %d bytes is too short for a safetensors header", name, len(data))
	}
	n := binary.LittleEndian.Uint64(data[:8])
	if n > maxHeader || n > uint64(len(data)-8) {
		return nil, fmt.Errorf("%s: header length %d does not fit in the file of %d bytes", name, n, len(data))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data[8:8+n], &raw); err != nil {
		return nil, fmt.Errorf("%s: malformed safetensors header: %v", name, err)
	}
	body := data[8+n:]
	type span struct {
		begin, end int64
		name       string
	}
	var spans []span
	out := make(map[string]Tensor, len(raw))
	for key, msg := range raw {
		if key == "__metadata__" {
			continue
		}
		var e stEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("%s: tensor %q: malformed entry: %v", name, key, err)
		}
		var dt quant.Type
		switch e.DType {
		case "F32":
			dt = quant.F32
		case "BF16":
			dt = quant.BF16
		case "F16":
			dt = quant.F16
		default:
			return nil, fmt.Errorf("%s: tensor %q: unsupported dtype %q (want F32, BF16 or F16)", name, key, e.DType)
		}
		if len(e.Offsets) != 2 {
			return nil, fmt.Errorf("%s: tensor %q: data_offsets must have 2 entries", name, key)
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || end > int64(len(body)) {
			return nil, fmt.Errorf("%s: tensor %q: data [%d,%d) outside the data section of %d bytes", name, key, begin, end, len(body))
		}
		elems := int64(1)
		shape := make([]int, len(e.Shape))
		for i, d := range e.Shape {
			if d < 0 || (d > 0 && elems > math.MaxInt64/8/d) {
				return nil, fmt.Errorf("%s: tensor %q: bad shape %v", name, key, e.Shape)
			}
			elems *= d
			shape[i] = int(d)
		}
		if want := elems * int64(dt.Size()); want != end-begin {
			return nil, fmt.Errorf("%s: tensor %q: shape %v of %s needs %d bytes, entry has %d", name, key, e.Shape, e.DType, want, end-begin)
		}
		spans = append(spans, span{begin, end, key})
		out[key] = Tensor{Name: key, DType: dt, Shape: shape, Data: body[begin:end:end]}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].begin < spans[j].begin })
	for i := 1; i < len(spans); i++ {
		if spans[i].begin < spans[i-1].end {
			return nil, fmt.Errorf("%s: tensors %q and %q overlap", name, spans[i-1].name, spans[i].name)
		}
	}
	return out, nil
}

func openSafetensors(path string) (*safetensorsFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() < 8 {
		return nil, fmt.Errorf("%s: file of %d bytes is too short for a safetensors header", path, st.Size())
	}
	m, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: mmap: %v", path, err)
	}
	tensors, err := parseSafetensors(m, path)
	if err != nil {
		m.Unmap()
		return nil, err
	}
	return &safetensorsFile{path: path, mapping: m, tensors: tensors}, nil
}

// Checkpoint is a Hugging Face checkpoint directory's tensors: one model.safetensors,
// or the shards that model.safetensors.index.json names.
type Checkpoint struct {
	files   []*safetensorsFile
	tensors map[string]Tensor
}

// OpenSafetensors maps a single .safetensors file.
func OpenSafetensors(path string) (*Checkpoint, error) {
	f, err := openSafetensors(path)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{files: []*safetensorsFile{f}, tensors: f.tensors}, nil
}

// OpenCheckpointDir maps the safetensors of a Hugging Face directory.
func OpenCheckpointDir(dir string) (*Checkpoint, error) {
	index := filepath.Join(dir, "model.safetensors.index.json")
	if data, err := os.ReadFile(index); err == nil {
		var idx struct {
			WeightMap map[string]string `json:"weight_map"`
		}
		if err := json.Unmarshal(data, &idx); err != nil {
			return nil, fmt.Errorf("%s: %v", index, err)
		}
		shardSet := map[string]bool{}
		for _, shard := range idx.WeightMap {
			if shard != filepath.Base(shard) {
				return nil, fmt.Errorf("%s: shard name %q must be a plain file name", index, shard)
			}
			shardSet[shard] = true
		}
		if len(shardSet) == 0 {
			return nil, fmt.Errorf("%s: weight_map is empty", index)
		}
		shards := make([]string, 0, len(shardSet))
		for s := range shardSet {
			shards = append(shards, s)
		}
		sort.Strings(shards)
		c := &Checkpoint{tensors: map[string]Tensor{}}
		for _, s := range shards {
			f, err := openSafetensors(filepath.Join(dir, s))
			if err != nil {
				c.Close()
				return nil, err
			}
			c.files = append(c.files, f)
			for name, t := range f.tensors {
				if _, dup := c.tensors[name]; dup {
					c.Close()
					return nil, fmt.Errorf("%s: tensor %q appears in more than one shard", dir, name)
				}
				c.tensors[name] = t
			}
		}
		for name, shard := range idx.WeightMap {
			if _, ok := c.tensors[name]; !ok {
				c.Close()
				return nil, fmt.Errorf("%s: index names tensor %q in %s, but that shard lacks it", dir, name, shard)
			}
		}
		return c, nil
	}
	single := filepath.Join(dir, "model.safetensors")
	if _, err := os.Stat(single); err != nil {
		return nil, fmt.Errorf("%s: neither model.safetensors nor model.safetensors.index.json found", dir)
	}
	return OpenSafetensors(single)
}

// Tensor returns a tensor by its stored name.
func (c *Checkpoint) Tensor(name string) (Tensor, bool) {
	t, ok := c.tensors[name]
	return t, ok
}

// Names lists the stored tensor names, sorted.
func (c *Checkpoint) Names() []string {
	names := make([]string, 0, len(c.tensors))
	for n := range c.tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Close unmaps every file. Tensors taken from the checkpoint must not be used after.
func (c *Checkpoint) Close() error {
	var first error
	for _, f := range c.files {
		if err := f.mapping.Unmap(); err != nil && first == nil {
			first = err
		}
	}
	c.files, c.tensors = nil, nil
	return first
}

// Float32s decodes an F32, BF16 or F16 tensor to float32 into dst (grown as needed).
func (t Tensor) Float32s(dst []float32) ([]float32, error) {
	n := t.Elems()
	if len(t.Data) != n*t.DType.Size() || t.DType.Size() == 0 {
		return nil, fmt.Errorf("tensor %s: cannot decode %d bytes of %s with shape %v", t.Name, len(t.Data), t.DType, t.Shape)
	}
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	quant.DequantizeRow(t.DType, t.Data, dst)
	return dst, nil
}
