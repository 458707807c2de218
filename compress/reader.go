package compress

import (
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"

	"github.com/edsrzf/mmap-go"
)

// File is an open .pge file. Its accessors are safe for concurrent use; Close
// must not run concurrently with them.
//
// Slices returned by Metadata, Blob and Tensor point into the file's memory
// (the read-only mapping for Open, read-only memory for OpenWith's
// LoadMemory, the caller's buffer for Parse). They must not be written to
// (for Open and OpenWith, a write faults) and must not be used after Close
// (for Open and OpenWith, the memory is unmapped).
type File struct {
	data    []byte
	mm      mmap.MMap // the mapping, for Open
	osf     *os.File  // for Open
	free    func()    // releases the bytes that OpenWith read into memory
	pre     preamble
	meta    []byte
	blobs   []BlobInfo
	tensors []TensorInfo
	blobAt  map[string]int
	tensAt  map[string]int
	spans   []span // data ranges sorted by offset, for Verify's padding check
	closed  bool
}

// Open maps the file at path read-only and validates its structure (see
// [Parse]) before returning. It reads only the preamble and the index, not
// the tensor data; call [File.Verify] to check the data.
//
// The file must not be modified or truncated while it is open: the mapping
// would see the change, and a truncation makes accesses fault. Replacing it
// by rename, as [Writer.Close] does, is safe.
func Open(path string) (*File, error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	f, err := openFile(osf)
	if err != nil {
		osf.Close()
		return nil, fmt.Errorf("compress: open %s: %w", path, err)
	}
	return f, nil
}

// fileSize is osf's size once it is known to be a regular file that can hold a
// .pge here. Checked before mapping or reading: mapping zero bytes fails with an
// unhelpful error, and a short file gets the same message as in Parse.
func fileSize(osf *os.File) (int64, error) {
	st, err := osf.Stat()
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, errors.New("not a regular file")
	}
	size := st.Size()
	if size < preambleSize {
		return 0, formatErr("file is %d bytes, shorter than the %d-byte preamble", size, preambleSize)
	}
	if uint64(size) > math.MaxInt {
		return 0, fmt.Errorf("file is %d bytes, too large for this platform", size)
	}
	return size, nil
}

func openFile(osf *os.File) (*File, error) {
	size, err := fileSize(osf)
	if err != nil {
		return nil, err
	}
	// Map exactly the size that was checked, so validation and mapping
	// agree even if the file changes size in between.
	mm, err := mmap.MapRegion(osf, int(size), mmap.RDONLY, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	f, err := Parse(mm)
	if err != nil {
		mm.Unmap()
		return nil, err
	}
	f.mm, f.osf = mm, osf
	return f, nil
}

// Parse validates data as a .pge file and returns a File whose slices point
// into data. Everything is checked before it returns: magic, version,
// preamble and index checksums, that the index is consumed exactly, that
// counts fit the bytes that hold them, that names are non-empty, valid UTF-8
// and unique, that the metadata is well-formed JSON, that shapes have rank at
// most 8, non-negative dimensions and a product that fits an int64, and that
// every data range is 64-byte aligned, inside the data section and overlaps
// no other. Data checksums and padding are checked by [File.Verify].
//
// Alignment is relative to the start of data: tensor slices are 64-byte
// aligned in memory only if data is.
func Parse(data []byte) (*File, error) {
	p, err := parsePreamble(data)
	if err != nil {
		return nil, err
	}
	ib := data[p.indexOff:]
	if c := crc32.Checksum(ib, castagnoli); c != p.indexCRC {
		return nil, formatErr("index [%d,%d) checksum mismatch (stored 0x%08x, computed 0x%08x)",
			p.indexOff, len(data), p.indexCRC, c)
	}
	ix, err := decodeIndex(ib)
	if err != nil {
		return nil, err
	}
	spans, err := validate(ix, &p)
	if err != nil {
		return nil, err
	}
	f := &File{
		data:    data,
		pre:     p,
		meta:    ix.meta,
		blobs:   make([]BlobInfo, len(ix.blobs)),
		tensors: make([]TensorInfo, len(ix.tensors)),
		blobAt:  make(map[string]int, len(ix.blobs)),
		tensAt:  make(map[string]int, len(ix.tensors)),
		spans:   spans,
	}
	// validate bounded every offset and size by len(data), so the int64
	// conversions below cannot wrap.
	for i, e := range ix.blobs {
		f.blobs[i] = BlobInfo{Name: e.name, Offset: int64(e.off), Size: int64(e.size), Checksum: e.crc}
		f.blobAt[e.name] = i
	}
	for i, e := range ix.tensors {
		f.tensors[i] = TensorInfo{
			Name: e.name, Type: e.typ, TypeName: e.typeName, Shape: e.shape,
			BlockLen: e.blockLen, Layout: e.layout,
			Offset: int64(e.off), Size: int64(e.size), Checksum: e.crc,
		}
		f.tensAt[e.name] = i
	}
	return f, nil
}

// Version returns the file's format version.
func (f *File) Version() uint32 { return f.pre.version }

// Size returns the file's length in bytes.
func (f *File) Size() int64 { return int64(f.pre.fileSize) }

// DataOffset returns the file offset of the data section.
func (f *File) DataOffset() int64 { return int64(f.pre.dataOff) }

// Metadata returns the metadata JSON (a slice into the file).
func (f *File) Metadata() []byte {
	if f.closed {
		return nil
	}
	return f.meta
}

// Blobs returns the blob table in file order.
func (f *File) Blobs() []BlobInfo {
	return append([]BlobInfo(nil), f.blobs...)
}

// Blob returns the named blob's bytes, a slice into the file.
func (f *File) Blob(name string) ([]byte, bool) {
	i, ok := f.blobAt[name]
	if !ok || f.closed {
		return nil, false
	}
	b := f.blobs[i]
	return f.slice(b.Offset, b.Size), true
}

// Tensors returns the tensor table in file order. The result is a copy the
// caller may modify.
func (f *File) Tensors() []TensorInfo {
	ts := make([]TensorInfo, len(f.tensors))
	for i, t := range f.tensors {
		ts[i] = t.clone()
	}
	return ts
}

// Tensor returns the named tensor's description and its bytes, a slice into
// the file (zero copy).
func (f *File) Tensor(name string) (TensorInfo, []byte, bool) {
	i, ok := f.tensAt[name]
	if !ok || f.closed {
		return TensorInfo{}, nil, false
	}
	t := f.tensors[i]
	return t.clone(), f.slice(t.Offset, t.Size), true
}

// slice returns data[off:off+n] with its capacity capped, so an append by
// the caller cannot run into the next tensor.
func (f *File) slice(off, n int64) []byte {
	return f.data[off : off+n : off+n]
}

func (t TensorInfo) clone() TensorInfo {
	t.Shape = append([]int64{}, t.Shape...)
	return t
}

// Verify reads the whole file and checks every blob and tensor checksum and
// that all padding is zero. It reports the first damaged tensor (in table
// order), then blob, then padding, and how many other problems it found.
func (f *File) Verify() error {
	if f.closed {
		return errors.New("compress: verify: file is closed")
	}
	var first error
	more := 0
	report := func(err error) {
		if first == nil {
			first = err
		} else {
			more++
		}
	}
	for i, t := range f.tensors {
		if c := crc32.Checksum(f.slice(t.Offset, t.Size), castagnoli); c != t.Checksum {
			report(fmt.Errorf("%w: tensor %d (%q): data checksum mismatch (stored 0x%08x, computed 0x%08x)",
				ErrChecksum, i, t.Name, t.Checksum, c))
		}
	}
	for i, b := range f.blobs {
		if c := crc32.Checksum(f.slice(b.Offset, b.Size), castagnoli); c != b.Checksum {
			report(fmt.Errorf("%w: blob %d (%q): data checksum mismatch (stored 0x%08x, computed 0x%08x)",
				ErrChecksum, i, b.Name, b.Checksum, c))
		}
	}
	// Padding carries no checksum of its own; requiring it to be zero is
	// what makes every byte of the file checked by something.
	pos := uint64(preambleSize)
	for _, s := range f.spans {
		if err := f.checkZero(pos, s.off); err != nil {
			report(err)
		}
		pos = max(pos, s.end)
	}
	if err := f.checkZero(pos, f.pre.indexOff); err != nil {
		report(err)
	}
	if first != nil && more > 0 {
		return fmt.Errorf("%w (and %d more problems)", first, more)
	}
	return first
}

func (f *File) checkZero(from, to uint64) error {
	for i := from; i < to; i++ {
		if f.data[i] != 0 {
			return fmt.Errorf("%w: padding byte at offset %d is 0x%02x, not zero (padding [%d,%d))",
				ErrChecksum, i, f.data[i], from, to)
		}
	}
	return nil
}

// Close releases the mapping. Slices obtained from the File must not be used
// afterwards. Close is idempotent.
func (f *File) Close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	f.data, f.meta = nil, nil
	var err error
	if f.mm != nil {
		err = f.mm.Unmap()
		f.mm = nil
	}
	if f.free != nil {
		f.free()
		f.free = nil
	}
	if f.osf != nil {
		if cerr := f.osf.Close(); err == nil {
			err = cerr
		}
		f.osf = nil
	}
	if err != nil {
		return fmt.Errorf("compress: close: %w", err)
	}
	return nil
}
