package compress

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/pgedge/pgedge/internal/atomicfile"
)

// writeBufSize is the writer's I/O buffer: large enough that small tensors
// cost few syscalls, small next to any real tensor.
const writeBufSize = 1 << 20

// Writer writes a .pge file. It is not safe for concurrent use.
//
// Data goes to a temporary file "<path>.tmp-*" in the same directory as path,
// which Close fsyncs and atomically renames to path. Until Close succeeds
// nothing exists at path (an existing file there stays untouched), so:
//   - Abort, and any error from an Add method or Close, removes the
//     temporary file and leaves no file at path;
//   - if the process dies before Close, no file appears at path, but the
//     temporary file remains. It can never be mistaken for a valid .pge file
//     because its preamble, and with it the magic, is written last; it is
//     safe to delete, e.g. by globbing "<path>.tmp-*".
//
// The usual pattern is
//
//	w, err := compress.Create(path)
//	if err != nil { ... }
//	defer w.Abort() // no-op after a successful Close
//	... w.AddTensor(...) ...
//	return w.Close()
type Writer struct {
	path    string
	tmp     *atomicfile.File
	bw      *bufio.Writer
	pos     uint64 // bytes written so far, i.e. the next write's file offset
	ix      index
	blobAt  map[string]bool
	tensAt  map[string]bool
	err     error // sticky: set once the temporary file's contents are unusable
	done    bool  // Close succeeded or Abort ran
	metaSet bool
}

// Create starts writing a .pge file that will appear at path when Close
// succeeds.
func Create(path string) (*Writer, error) {
	tmp, err := atomicfile.Create(path)
	if err != nil {
		return nil, fmt.Errorf("compress: create %s: %w", path, err)
	}
	w := &Writer{
		path:   path,
		tmp:    tmp,
		bw:     bufio.NewWriterSize(tmp, writeBufSize),
		blobAt: make(map[string]bool),
		tensAt: make(map[string]bool),
	}
	// Reserve the preamble and its padding as zeros; Close overwrites the
	// first 64 bytes once the index location is known.
	if _, err := w.bw.Write(zeros[:PageAlign]); err != nil {
		w.fail(err)
		return nil, w.err
	}
	w.pos = PageAlign
	return w, nil
}

// SetMetadata sets the metadata JSON (model configuration, quantization
// settings, ...). It must be well-formed JSON; it is copied. Without a call
// the metadata is "{}".
func (w *Writer) SetMetadata(meta []byte) error {
	if err := w.usable(); err != nil {
		return err
	}
	if !json.Valid(meta) {
		err := json.Unmarshal(meta, new(json.RawMessage))
		return fmt.Errorf("compress: metadata is not well-formed JSON: %v", err)
	}
	if uint64(len(meta)) > math.MaxUint32 {
		return fmt.Errorf("compress: metadata is %d bytes, more than the format's 4 GiB limit", len(meta))
	}
	w.ix.meta = bytes.Clone(meta)
	w.metaSet = true
	return nil
}

// AddBlob adds a named byte blob such as "tokenizer.model".
func (w *Writer) AddBlob(name string, data []byte) error {
	return w.AddBlobFrom(name, int64(len(data)), bytes.NewReader(data))
}

// AddBlobFrom adds a named blob of exactly size bytes read from r.
func (w *Writer) AddBlobFrom(name string, size int64, r io.Reader) error {
	if err := w.usable(); err != nil {
		return err
	}
	if err := checkName(name); err != nil {
		return fmt.Errorf("compress: blob %q: %v", name, err)
	}
	if w.blobAt[name] {
		return fmt.Errorf("compress: blob %q: duplicate name", name)
	}
	if err := checkEntry(len(w.ix.blobs), size); err != nil {
		return fmt.Errorf("compress: blob %q: %v", name, err)
	}
	e := rawEntry{name: name}
	if err := w.writeData(&e, size, r); err != nil {
		return fmt.Errorf("compress: blob %q: %w", name, err)
	}
	w.ix.blobs = append(w.ix.blobs, e)
	w.blobAt[name] = true
	return nil
}

// AddTensor adds a tensor whose encoded bytes are data. Only Name, Type,
// TypeName, Shape, BlockLen and Layout of info are used.
func (w *Writer) AddTensor(info TensorInfo, data []byte) error {
	return w.AddTensorFrom(info, int64(len(data)), bytes.NewReader(data))
}

// AddTensorFrom adds a tensor of exactly size encoded bytes read from r,
// streaming them to disk so the tensor never has to be in memory whole. A
// reader that ends early (or fails) fails the whole write, since the bytes
// already written cannot be taken back.
func (w *Writer) AddTensorFrom(info TensorInfo, size int64, r io.Reader) error {
	if err := w.usable(); err != nil {
		return err
	}
	if err := checkName(info.Name); err != nil {
		return fmt.Errorf("compress: tensor %q: %v", info.Name, err)
	}
	if w.tensAt[info.Name] {
		return fmt.Errorf("compress: tensor %q: duplicate name", info.Name)
	}
	if err := checkTensorFields(info.TypeName, info.Shape); err != nil {
		return fmt.Errorf("compress: tensor %q: %v", info.Name, err)
	}
	if err := checkEntry(len(w.ix.tensors), size); err != nil {
		return fmt.Errorf("compress: tensor %q: %v", info.Name, err)
	}
	e := rawEntry{
		name:     info.Name,
		typ:      info.Type,
		typeName: info.TypeName,
		shape:    append([]int64{}, info.Shape...),
		blockLen: info.BlockLen,
		layout:   info.Layout,
	}
	if err := w.writeData(&e, size, r); err != nil {
		return fmt.Errorf("compress: tensor %q: %w", info.Name, err)
	}
	w.ix.tensors = append(w.ix.tensors, e)
	w.tensAt[info.Name] = true
	return nil
}

func checkEntry(n int, size int64) error {
	if size < 0 {
		return fmt.Errorf("negative size %d", size)
	}
	if n >= MaxEntries {
		return fmt.Errorf("more than %d entries", MaxEntries)
	}
	return nil
}

// usable reports the sticky error, or misuse after Close/Abort.
func (w *Writer) usable() error {
	if w.err != nil {
		return w.err
	}
	if w.done {
		return errors.New("compress: writer is closed")
	}
	return nil
}

// fail records err as the writer's sticky error and removes the temporary
// file at once, so an error path leaves nothing behind even if the caller
// never calls Abort.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = fmt.Errorf("compress: writing %s failed: %w", w.path, err)
		w.discard()
	}
	return err
}

func (w *Writer) discard() {
	if w.tmp != nil {
		w.tmp.Abort()
		w.tmp = nil
	}
}

// zeros is a source of padding.
var zeros [PageAlign]byte

// pad writes zeros up to the next multiple of align.
func (w *Writer) pad(align uint64) error {
	n := (align - w.pos%align) % align
	if _, err := w.bw.Write(zeros[:n]); err != nil {
		return w.fail(err)
	}
	w.pos += n
	return nil
}

// writeData appends size bytes from r at the next aligned offset and fills in
// the entry's offset, size and checksum.
func (w *Writer) writeData(e *rawEntry, size int64, r io.Reader) error {
	if err := w.pad(DataAlign); err != nil {
		return err
	}
	cw := crcWriter{w: w.bw}
	var n int64
	var err error
	if br, ok := r.(*bytes.Reader); ok && int64(br.Len()) == size {
		// AddTensor/AddBlob: hand the whole slice to bufio in one Write,
		// which passes large slices straight to the file without copying.
		n, err = br.WriteTo(&cw)
	} else {
		n, err = io.CopyN(&cw, r, size)
	}
	w.pos += uint64(n)
	if err != nil {
		if err == io.EOF {
			err = fmt.Errorf("reader ended after %d of %d bytes", n, size)
		}
		return w.fail(err)
	}
	e.off, e.size, e.crc = w.pos-uint64(size), uint64(size), cw.crc
	return nil
}

type crcWriter struct {
	w   io.Writer
	crc uint32
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.crc = crc32.Update(c.crc, castagnoli, p[:n])
	return n, err
}

// Close writes the index and preamble, fsyncs the file, and renames it to
// path, then fsyncs the directory so the rename itself is durable. If Close
// returns an error, no file is left at path.
func (w *Writer) Close() error {
	if err := w.usable(); err != nil {
		return err
	}
	if !w.metaSet {
		w.ix.meta = []byte("{}")
	}
	if err := w.pad(indexAlign); err != nil {
		return w.err
	}
	ib := encodeIndex(&w.ix)
	p := preamble{
		version:  Version,
		dataOff:  PageAlign,
		indexOff: w.pos,
		indexLen: uint64(len(ib)),
		fileSize: w.pos + uint64(len(ib)),
		indexCRC: crc32.Checksum(ib, castagnoli),
	}
	if _, err := w.bw.Write(ib); err != nil {
		w.fail(err)
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.fail(err)
		return w.err
	}
	// The preamble goes in last: until it is there the file has no magic,
	// so a partial file is never taken for a valid one.
	if _, err := w.tmp.WriteAt(p.marshal(), 0); err != nil {
		w.fail(err)
		return w.err
	}
	// Mode 0644, fsync, rename, fsync of the directory (package atomicfile).
	err := w.tmp.Commit()
	w.tmp = nil
	if err != nil {
		w.fail(err)
		return w.err
	}
	w.done = true
	return nil
}

// Abort discards everything written and removes the temporary file; nothing
// is left at path. It is a no-op after Close succeeded or after an earlier
// Abort, so it can be deferred.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	if w.tmp == nil {
		return nil
	}
	w.tmp.Abort()
	w.tmp = nil
	return nil
}
