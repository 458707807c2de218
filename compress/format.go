// Package compress reads and writes .pge files: the single container that
// holds everything needed to run a model (metadata, named byte blobs such as
// a tokenizer, and the weight tensors), designed to be mapped read-only and
// used in place.
//
// The package owns only the container. It knows nothing of PaliGemma and
// treats tensor bytes as opaque: the storage type code, type name, block
// length and layout version of a tensor are defined by the caller (the quant
// package) and are stored and returned as-is.
//
// # Byte layout, format version 1
//
// All integers are little-endian. Offsets are absolute byte offsets from the
// start of the file. The file is, in order:
//
//	[0, 64)                     preamble
//	[64, DataOffset)            zero padding (DataOffset is 4096 in files
//	                            written by this package)
//	[DataOffset, IndexOffset)   data section: blob and tensor bytes, each
//	                            starting at a multiple of 64, gaps zero-filled
//	[IndexOffset, FileSize)     index: metadata, blob table, tensor table
//
// Preamble (64 bytes):
//
//	off  size  field
//	  0     8  magic "PGEDGE\x00\x01"
//	  8     4  format version (uint32) = 1
//	 12     4  flags (uint32), must be 0
//	 16     8  FileSize (uint64): total file length in bytes
//	 24     8  DataOffset (uint64): non-zero multiple of 4096
//	 32     8  IndexOffset (uint64): multiple of 64, >= DataOffset
//	 40     8  IndexLength (uint64): IndexOffset + IndexLength == FileSize
//	 48     4  CRC-32C (Castagnoli) of the index bytes
//	 52     8  reserved, must be zero
//	 60     4  CRC-32C of preamble bytes [0, 60)
//
// Only the magic and the version field are promised to stay where they are in
// later versions; a reader checks them before anything else, so a file of an
// unknown version is reported as such rather than as corrupt.
//
// Index (IndexLength bytes, consumed exactly; trailing bytes are an error):
//
//	u32 metadata length M, then M bytes of metadata (well-formed JSON)
//	u32 blob count B (at most 2^20), then B blob records:
//	    u16 name length, name bytes (UTF-8, 1..1024 bytes, unique among blobs)
//	    u64 data offset, u64 data length, u32 CRC-32C of the data
//	u32 tensor count T (at most 2^20), then T tensor records:
//	    u16 name length, name bytes (UTF-8, 1..1024 bytes, unique among tensors)
//	    u8  storage type code (caller-defined)
//	    u8  type name length, type name bytes (UTF-8, for display; may be empty)
//	    u8  rank R (0..8), then R × i64 dimensions (each >= 0; the product of
//	        the non-zero dimensions fits in an int64)
//	    u32 block length (caller-defined), u32 layout version (caller-defined)
//	    u64 data offset, u64 data length, u32 CRC-32C of the data
//
// Every blob and tensor data range lies inside the data section, starts at a
// multiple of 64 (empty ranges too), and overlaps no other range (an empty
// range strictly inside another counts as overlapping). Ranges appear in the
// data section in the order they were written, but a reader does not rely on
// that. The byte length of a tensor is not checked against its shape: the
// encoding is the caller's.
//
// # Why the index is at the end
//
// The writer streams tensor data into a temporary file as it arrives, so peak
// memory stays near one tensor (or one I/O buffer with [Writer.AddTensorFrom])
// and the multi-gigabyte data is written exactly once. The index is only known
// at the end, so it is written after the data and located through the
// fixed-size preamble, which is written last. Under mmap, reading an index at
// the end costs the same as one at the front.
//
// # Integrity
//
// Every byte of a valid file is covered by a check: the preamble and the index
// by their CRCs (checked by [Open] and [Parse]), blob and tensor data by their
// CRCs and all padding by a must-be-zero rule (both checked by [File.Verify],
// which reads the whole file and so is kept out of Open). The CRCs catch
// accidental damage only; a hostile file can carry correct CRCs, so Open and
// Parse also validate every structural property before returning and never
// trust a count or an offset to size an allocation or index a slice.
package compress

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/bits"
	"sort"
	"unicode/utf8"
)

// Format constants. Changing any of these changes the file format.
const (
	// Magic identifies a .pge file. Its last byte is part of the magic, not
	// the format version, which is the separate field that follows it.
	Magic = "PGEDGE\x00\x01"
	// Version is the format version this package writes and reads.
	Version uint32 = 1
	// PageAlign is the alignment of the start of the data section, so that a
	// mapping of the data section starts on a page boundary.
	PageAlign = 4096
	// DataAlign is the alignment of every blob and tensor within the file:
	// enough for any SIMD load, and a cache line.
	DataAlign = 64
	// MaxRank is the largest tensor rank the format can store.
	MaxRank = 8
	// MaxNameLen is the longest blob or tensor name, in bytes.
	MaxNameLen = 1024
	// MaxTypeNameLen is the longest tensor type name, in bytes.
	MaxTypeNameLen = 255
	// MaxEntries is the most blobs, and separately the most tensors, a file
	// may hold: a thousand times what a large model needs, and small enough
	// that a hostile file cannot make the reader build a huge table.
	MaxEntries = 1 << 20

	preambleSize = 64
	indexAlign   = DataAlign
)

// Minimum encoded sizes of the index records, used to bound counts read from
// the file before anything is allocated for them.
const (
	// u16 name length, 1-byte name, u64 offset, u64 length, u32 crc
	minBlobRecord = 2 + 1 + 8 + 8 + 4
	// u16 name length, 1-byte name, u8 type, u8 type name length (empty
	// name), u8 rank (scalar), u32 block length, u32 layout, u64 offset,
	// u64 length, u32 crc
	minTensorRecord = 2 + 1 + 1 + 1 + 1 + 4 + 4 + 8 + 8 + 4
)

// ErrFormat is wrapped by every error that reports a malformed file from
// [Open] or [Parse].
var ErrFormat = errors.New("invalid .pge file")

// ErrChecksum is wrapped by every error that [File.Verify] returns for
// damaged data or padding.
var ErrChecksum = errors.New("pge integrity check failed")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var le = binary.LittleEndian

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// TensorInfo describes one tensor. Name, Type, TypeName, Shape, BlockLen and
// Layout are supplied by the writer's caller and stored as-is; Offset, Size
// and Checksum are filled in by the container (and ignored when writing).
type TensorInfo struct {
	Name     string
	Type     uint8   // storage type code, defined by the caller
	TypeName string  // short display name of Type, e.g. "q8_0"
	Shape    []int64 // logical shape, at most MaxRank dimensions
	BlockLen uint32  // quantization block length, defined by the caller
	Layout   uint32  // layout version of the encoding, defined by the caller

	Offset   int64  // file offset of the data, a multiple of DataAlign
	Size     int64  // data length in bytes
	Checksum uint32 // CRC-32C of the data
}

// NumElements returns the product of the shape (1 for a scalar).
func (t TensorInfo) NumElements() int64 {
	n := int64(1)
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// BlobInfo describes one named blob.
type BlobInfo struct {
	Name     string
	Offset   int64  // file offset of the data, a multiple of DataAlign
	Size     int64  // data length in bytes
	Checksum uint32 // CRC-32C of the data
}

// preamble is the decoded fixed-size header.
type preamble struct {
	version  uint32
	flags    uint32
	fileSize uint64
	dataOff  uint64
	indexOff uint64
	indexLen uint64
	indexCRC uint32
}

func (p *preamble) marshal() []byte {
	b := make([]byte, preambleSize)
	copy(b, Magic)
	le.PutUint32(b[8:], p.version)
	le.PutUint32(b[12:], p.flags)
	le.PutUint64(b[16:], p.fileSize)
	le.PutUint64(b[24:], p.dataOff)
	le.PutUint64(b[32:], p.indexOff)
	le.PutUint64(b[40:], p.indexLen)
	le.PutUint32(b[48:], p.indexCRC)
	le.PutUint32(b[60:], crc32.Checksum(b[:60], castagnoli))
	return b
}

// parsePreamble decodes and validates the preamble against the file length.
// The checks run from the most fundamental (is this a .pge file at all) to
// the most specific, so the error names the real problem: a truncated file is
// reported as truncated, not as a bad offset.
func parsePreamble(data []byte) (preamble, error) {
	var p preamble
	if len(data) < preambleSize {
		return p, formatErr("file is %d bytes, shorter than the %d-byte preamble", len(data), preambleSize)
	}
	if string(data[:8]) != Magic {
		return p, formatErr("bad magic %q (want %q)", data[:8], Magic)
	}
	p.version = le.Uint32(data[8:])
	if p.version != Version {
		return p, formatErr("unsupported format version %d (this reader supports %d)", p.version, Version)
	}
	stored, computed := le.Uint32(data[60:]), crc32.Checksum(data[:60], castagnoli)
	if stored != computed {
		return p, formatErr("preamble checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, computed)
	}
	p.flags = le.Uint32(data[12:])
	p.fileSize = le.Uint64(data[16:])
	p.dataOff = le.Uint64(data[24:])
	p.indexOff = le.Uint64(data[32:])
	p.indexLen = le.Uint64(data[40:])
	p.indexCRC = le.Uint32(data[48:])
	if p.flags != 0 {
		return p, formatErr("unknown preamble flags 0x%x", p.flags)
	}
	if le.Uint64(data[52:]) != 0 {
		return p, formatErr("reserved preamble bytes [52,60) are not zero")
	}
	size := uint64(len(data))
	if p.fileSize != size {
		if p.fileSize > size {
			return p, formatErr("file is %d bytes but its preamble records %d (truncated?)", size, p.fileSize)
		}
		return p, formatErr("file is %d bytes but its preamble records %d (trailing bytes?)", size, p.fileSize)
	}
	if p.dataOff < preambleSize || p.dataOff%PageAlign != 0 || p.dataOff > size {
		return p, formatErr("data section offset %d is not a non-zero multiple of %d within the file (size %d)", p.dataOff, PageAlign, size)
	}
	if p.indexOff < p.dataOff || p.indexOff%indexAlign != 0 || p.indexOff > size {
		return p, formatErr("index offset %d is not a multiple of %d in [%d, %d]", p.indexOff, indexAlign, p.dataOff, size)
	}
	if p.indexLen != size-p.indexOff {
		return p, formatErr("index [%d,+%d) does not end at the end of the file (size %d)", p.indexOff, p.indexLen, size)
	}
	return p, nil
}

// rawEntry is one blob or tensor record as stored, before semantic
// validation. Offsets stay uint64 so that hostile values are reported
// exactly rather than after a wrapping conversion.
type rawEntry struct {
	name     string
	typ      uint8
	typeName string
	shape    []int64
	blockLen uint32
	layout   uint32
	off      uint64
	size     uint64
	crc      uint32
}

// index is the decoded index section.
type index struct {
	meta    []byte
	blobs   []rawEntry
	tensors []rawEntry
}

// encodeIndex serializes the index. The caller has already validated every
// field against the format limits (name lengths fit in a u16, rank <= 8, ...).
func encodeIndex(ix *index) []byte {
	n := 4 + len(ix.meta) + 4 + 4
	for _, e := range ix.blobs {
		n += minBlobRecord - 1 + len(e.name)
	}
	for _, e := range ix.tensors {
		n += minTensorRecord - 1 + len(e.name) + len(e.typeName) + 8*len(e.shape)
	}
	b := make([]byte, 0, n)
	b = le.AppendUint32(b, uint32(len(ix.meta)))
	b = append(b, ix.meta...)
	b = le.AppendUint32(b, uint32(len(ix.blobs)))
	for _, e := range ix.blobs {
		b = le.AppendUint16(b, uint16(len(e.name)))
		b = append(b, e.name...)
		b = le.AppendUint64(b, e.off)
		b = le.AppendUint64(b, e.size)
		b = le.AppendUint32(b, e.crc)
	}
	b = le.AppendUint32(b, uint32(len(ix.tensors)))
	for _, e := range ix.tensors {
		b = le.AppendUint16(b, uint16(len(e.name)))
		b = append(b, e.name...)
		b = append(b, e.typ, uint8(len(e.typeName)))
		b = append(b, e.typeName...)
		b = append(b, uint8(len(e.shape)))
		for _, d := range e.shape {
			b = le.AppendUint64(b, uint64(d))
		}
		b = le.AppendUint32(b, e.blockLen)
		b = le.AppendUint32(b, e.layout)
		b = le.AppendUint64(b, e.off)
		b = le.AppendUint64(b, e.size)
		b = le.AppendUint32(b, e.crc)
	}
	return b
}

// decoder reads the index with bounds checks. The first failure is kept and
// later reads return zero values, so record loops stay simple; the loops still
// check err per record so a failure stops them at once.
type decoder struct {
	b    []byte
	pos  int
	err  error
	what string // table being read, for errors: "metadata", "blob table", "tensor table"
	idx  int    // record being read, or -1
}

func (d *decoder) fail(field string, n uint64) {
	if d.err != nil {
		return
	}
	where := d.what
	if d.idx >= 0 {
		where = fmt.Sprintf("%s entry %d", d.what, d.idx)
	}
	d.err = formatErr("%s: index truncated reading %s (%d bytes at index offset %d, index is %d bytes)",
		where, field, n, d.pos, len(d.b))
}

func (d *decoder) take(n uint64, field string) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)-d.pos) {
		d.fail(field, n)
		return nil
	}
	s := d.b[d.pos : d.pos+int(n) : d.pos+int(n)]
	d.pos += int(n)
	return s
}

func (d *decoder) u8(field string) uint8 {
	if s := d.take(1, field); s != nil {
		return s[0]
	}
	return 0
}

func (d *decoder) u16(field string) uint16 {
	if s := d.take(2, field); s != nil {
		return le.Uint16(s)
	}
	return 0
}

func (d *decoder) u32(field string) uint32 {
	if s := d.take(4, field); s != nil {
		return le.Uint32(s)
	}
	return 0
}

func (d *decoder) u64(field string) uint64 {
	if s := d.take(8, field); s != nil {
		return le.Uint64(s)
	}
	return 0
}

// count reads a record count and rejects one that could not fit in the rest
// of the index, so a hostile count cannot make the reader allocate more than
// a small multiple of the index size.
func (d *decoder) count(minRecord int) int {
	n := d.u32("record count")
	if d.err != nil {
		return 0
	}
	if n > MaxEntries {
		d.err = formatErr("%s: count %d exceeds the maximum %d", d.what, n, MaxEntries)
		return 0
	}
	if uint64(n) > uint64(len(d.b)-d.pos)/uint64(minRecord) {
		d.err = formatErr("%s: count %d cannot fit in the %d remaining index bytes (%d bytes per record at least)",
			d.what, n, len(d.b)-d.pos, minRecord)
		return 0
	}
	return int(n)
}

// decodeIndex parses the index syntactically: every length and count is
// checked against the bytes that remain, and rank is bounded, but names,
// JSON, shapes and data ranges are left to validate.
func decodeIndex(b []byte) (*index, error) {
	d := &decoder{b: b, what: "metadata", idx: -1}
	ix := &index{}
	ix.meta = d.take(uint64(d.u32("metadata length")), "metadata")

	d.what = "blob table"
	if n := d.count(minBlobRecord); n > 0 {
		ix.blobs = make([]rawEntry, n)
	}
	for i := range ix.blobs {
		d.idx = i
		e := &ix.blobs[i]
		e.name = string(d.take(uint64(d.u16("name length")), "name"))
		e.off = d.u64("data offset")
		e.size = d.u64("data length")
		e.crc = d.u32("checksum")
		if d.err != nil {
			return nil, d.err
		}
	}

	d.what, d.idx = "tensor table", -1
	if n := d.count(minTensorRecord); n > 0 {
		ix.tensors = make([]rawEntry, n)
	}
	for i := range ix.tensors {
		d.idx = i
		e := &ix.tensors[i]
		e.name = string(d.take(uint64(d.u16("name length")), "name"))
		e.typ = d.u8("storage type")
		e.typeName = string(d.take(uint64(d.u8("type name length")), "type name"))
		rank := d.u8("rank")
		if d.err == nil && rank > MaxRank {
			return nil, formatErr("tensor table entry %d (%q): rank %d exceeds the maximum %d", i, e.name, rank, MaxRank)
		}
		if rank > 0 {
			e.shape = make([]int64, rank)
			for j := range e.shape {
				e.shape[j] = int64(d.u64("dimension"))
			}
		} else {
			e.shape = []int64{}
		}
		e.blockLen = d.u32("block length")
		e.layout = d.u32("layout version")
		e.off = d.u64("data offset")
		e.size = d.u64("data length")
		e.crc = d.u32("checksum")
		if d.err != nil {
			return nil, d.err
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if d.pos != len(b) {
		return nil, formatErr("index has %d trailing bytes after the tensor table", len(b)-d.pos)
	}
	return ix, nil
}

// checkName enforces the name rules shared by the writer and the reader, so
// the writer can never produce a file the reader rejects.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case len(name) > MaxNameLen:
		return fmt.Errorf("name is %d bytes, longer than the maximum %d", len(name), MaxNameLen)
	case !utf8.ValidString(name):
		return errors.New("name is not valid UTF-8")
	}
	return nil
}

// checkTensorFields enforces the per-tensor rules other than the data range.
func checkTensorFields(typeName string, shape []int64) error {
	if len(typeName) > MaxTypeNameLen {
		return fmt.Errorf("type name is %d bytes, longer than the maximum %d", len(typeName), MaxTypeNameLen)
	}
	if !utf8.ValidString(typeName) {
		return errors.New("type name is not valid UTF-8")
	}
	if len(shape) > MaxRank {
		return fmt.Errorf("rank %d exceeds the maximum %d", len(shape), MaxRank)
	}
	// The product of the non-zero dimensions must fit, not just the full
	// product: a shape like [0, 2^40, 2^40] is nonsense and would overflow
	// for any code that multiplies in a different order.
	prod := uint64(1)
	for i, d := range shape {
		if d < 0 {
			return fmt.Errorf("shape %v: dimension %d is negative", shape, i)
		}
		if d == 0 {
			continue
		}
		hi, lo := bits.Mul64(prod, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return fmt.Errorf("shape %v: element count overflows int64", shape)
		}
		prod = lo
	}
	return nil
}

// span is one data range, for the overlap check and Verify's padding check.
type span struct {
	off, end uint64
	what     string // "blob table" or "tensor table"
	idx      int
	name     string
}

func (s span) String() string {
	return fmt.Sprintf("%s entry %d (%q) data [%d,%d)", s.what, s.idx, s.name, s.off, s.end)
}

// checkRange validates one data range against the layout.
func checkRange(what string, i int, e *rawEntry, p *preamble) (span, error) {
	where := fmt.Sprintf("%s entry %d (%q)", what, i, e.name)
	if e.size > p.fileSize || e.off > p.fileSize-e.size {
		if e.off+e.size < e.off {
			return span{}, formatErr("%s: data at offset %d with length %d overflows", where, e.off, e.size)
		}
		return span{}, formatErr("%s: data [%d,%d) past end of file (size %d)", where, e.off, e.off+e.size, p.fileSize)
	}
	end := e.off + e.size
	if e.off%DataAlign != 0 {
		return span{}, formatErr("%s: data offset %d is not %d-byte aligned", where, e.off, DataAlign)
	}
	if e.off < p.dataOff {
		return span{}, formatErr("%s: data [%d,%d) starts before the data section at %d", where, e.off, end, p.dataOff)
	}
	if end > p.indexOff {
		return span{}, formatErr("%s: data [%d,%d) runs past the end of the data section at %d", where, e.off, end, p.indexOff)
	}
	return span{off: e.off, end: end, what: what, idx: i, name: e.name}, nil
}

// validate checks everything in the index that decodeIndex did not, and
// returns the data ranges sorted by offset.
func validate(ix *index, p *preamble) ([]span, error) {
	if !json.Valid(ix.meta) {
		// Unmarshal only to get a message that says where the JSON breaks.
		err := json.Unmarshal(ix.meta, new(json.RawMessage))
		return nil, formatErr("metadata (%d bytes) is not well-formed JSON: %v", len(ix.meta), err)
	}
	spans := make([]span, 0, len(ix.blobs)+len(ix.tensors))
	seen := make(map[string]int, max(len(ix.blobs), len(ix.tensors)))
	for i := range ix.blobs {
		e := &ix.blobs[i]
		if err := checkName(e.name); err != nil {
			return nil, formatErr("blob table entry %d (%q): %v", i, e.name, err)
		}
		if j, dup := seen[e.name]; dup {
			return nil, formatErr("blob table entry %d (%q): duplicate name (also entry %d)", i, e.name, j)
		}
		seen[e.name] = i
		s, err := checkRange("blob table", i, e, p)
		if err != nil {
			return nil, err
		}
		spans = append(spans, s)
	}
	clear(seen)
	for i := range ix.tensors {
		e := &ix.tensors[i]
		if err := checkName(e.name); err != nil {
			return nil, formatErr("tensor table entry %d (%q): %v", i, e.name, err)
		}
		if j, dup := seen[e.name]; dup {
			return nil, formatErr("tensor table entry %d (%q): duplicate name (also entry %d)", i, e.name, j)
		}
		seen[e.name] = i
		if err := checkTensorFields(e.typeName, e.shape); err != nil {
			return nil, formatErr("tensor table entry %d (%q): %v", i, e.name, err)
		}
		s, err := checkRange("tensor table", i, e, p)
		if err != nil {
			return nil, err
		}
		spans = append(spans, s)
	}
	// Sorting by (offset, end) puts an empty range before a non-empty one at
	// the same offset, so empty ranges at a boundary are not overlaps.
	sort.Slice(spans, func(a, b int) bool {
		if spans[a].off != spans[b].off {
			return spans[a].off < spans[b].off
		}
		return spans[a].end < spans[b].end
	})
	for k := 1; k < len(spans); k++ {
		if spans[k].off < spans[k-1].end {
			return nil, formatErr("%v overlaps %v", spans[k], spans[k-1])
		}
	}
	return spans, nil
}
