package compress

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/pgedge/pgedge/internal/hugemem"
)

// Load says how [OpenWith] brings a file's bytes into memory.
type Load int

const (
	// LoadAuto reads the file into memory (LoadMemory) on Linux when it takes at most
	// half of the memory the OS reports available, and maps it (LoadMap) otherwise: a
	// 3B INT8 model (2.9 GB) is read in 0.25–0.28 s from the page cache (longer from
	// disk, at the disk's speed) and then streams faster, while a file near the
	// machine's RAM stays a mapping the kernel can page.
	LoadAuto Load = iota
	// LoadMap maps the file read-only, as [Open] does: nothing is read until used, the
	// pages are the page cache's (shared by every process that maps the file, and
	// reclaimable), and opening is instant.
	LoadMap
	// LoadMemory reads the whole file into private memory from hugemem.Alloc (2 MiB
	// aligned, advised for transparent huge pages on Linux). Opening reads the file
	// once; the weights then stream 10–16% faster than from the mapping (package
	// hugemem has the figures), and the memory is not shared or reclaimable.
	LoadMemory
)

var loadNames = [...]string{LoadAuto: "auto", LoadMap: "mmap", LoadMemory: "memory"}

// String returns "auto", "mmap" or "memory".
func (l Load) String() string {
	if l >= 0 && int(l) < len(loadNames) {
		return loadNames[l]
	}
	return fmt.Sprintf("Load(%d)", int(l))
}

// ParseLoad is the inverse of [Load.String].
func ParseLoad(s string) (Load, error) {
	for l, n := range loadNames {
		if s == n {
			return Load(l), nil
		}
	}
	return 0, fmt.Errorf("load mode %q: want auto, mmap or memory", s)
}

// MarshalText implements encoding.TextMarshaler.
func (l Load) MarshalText() ([]byte, error) {
	if l < 0 || int(l) >= len(loadNames) {
		return nil, fmt.Errorf("compress: %v is not a load mode", l)
	}
	return []byte(l.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Load) UnmarshalText(b []byte) error {
	v, err := ParseLoad(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// OpenWith opens the file at path as [Open] does, bringing its bytes into memory as
// load says. [File.Load] reports what LoadAuto chose.
func OpenWith(path string, load Load) (*File, error) {
	if load < LoadAuto || load > LoadMemory {
		return nil, fmt.Errorf("compress: open %s: %v is not a load mode", path, load)
	}
	osf, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	var f *File
	if load == LoadAuto {
		load = autoLoad(osf)
	}
	if load == LoadMemory {
		f, err = readFile(osf)
	} else {
		f, err = openFile(osf)
	}
	if err != nil {
		osf.Close()
		return nil, fmt.Errorf("compress: open %s: %w", path, err)
	}
	return f, nil
}

// Load is how the file's bytes are held: LoadMap for [Open], LoadMemory for a file read
// into memory, LoadAuto for [Parse] (the caller's bytes).
func (f *File) Load() Load {
	switch {
	case f.mm != nil:
		return LoadMap
	case f.free != nil:
		return LoadMemory
	}
	return LoadAuto
}

// Rewrite runs fn with the bytes of a file read into memory (LoadMemory) writable, and
// makes them read-only again when it returns. fn may rewrite tensor data in place into
// another layout of the same size (infer packs Q8 and Q4 weights into the panels its
// kernels read, see simd.PackQ8Panels); the index, the metadata and the checksums stay as they
// were, so [File.Verify] then reports the rewritten tensors as damaged. Only a reader
// that knows the new layout may use them. A file that is not in private memory (a
// mapping of the page cache, shared with other processes, or the caller's bytes) is an
// error.
func (f *File) Rewrite(fn func() error) error {
	if f.closed {
		return errors.New("compress: rewrite: file is closed")
	}
	switch f.Load() {
	case LoadMap:
		return errors.New("compress: rewrite: the file is mapped (mmap); only a file read into memory (memory) can be rewritten")
	case LoadAuto:
		return errors.New("compress: rewrite: the bytes are the caller's (Parse); only a file read into memory (memory) can be rewritten")
	}
	if err := hugemem.ReadWrite(f.data); err != nil {
		return fmt.Errorf("compress: rewrite: %w", err)
	}
	defer hugemem.ReadOnly(f.data)
	return fn()
}

// memAvailable is hugemem.Available (a variable for the tests).
var memAvailable = hugemem.Available

// autoLoad picks LoadAuto's mode for osf (see LoadAuto).
func autoLoad(osf *os.File) Load {
	if runtime.GOOS != "linux" {
		return LoadMap
	}
	st, err := osf.Stat()
	avail, aerr := memAvailable()
	if err != nil || aerr != nil || st.Size() > avail/2 {
		return LoadMap
	}
	return LoadMemory
}

// readChunk is the unit of readFile's parallel reads: large enough that a read is one
// long sequential transfer, small enough that 2–16 readers share a 3 GB file evenly.
// (A variable so tests can cut it small.)
var readChunk = 64 << 20

// readFile reads osf whole into hugemem memory and validates it (see [Parse]). The
// chunks are read by up to GOMAXPROCS goroutines at once: copying a cached file out of
// the page cache, and the kernel zeroing the fresh pages first, is CPU work that the
// cores can share.
func readFile(osf *os.File) (*File, error) {
	size, err := fileSize(osf)
	if err != nil {
		return nil, err
	}
	// Refuse what cannot fit rather than be killed by the OOM killer halfway through
	// reading (private memory cannot be paged back to the file as a mapping can).
	if avail, err := memAvailable(); err == nil && size > avail {
		return nil, fmt.Errorf("reading %.1f GB into memory needs more than the %.1f GB available: map it instead (--load mmap, compress.LoadMap)",
			float64(size)/1e9, float64(avail)/1e9)
	}
	data, free, err := hugemem.Alloc(int(size))
	if err != nil {
		return nil, err
	}
	if err := readAllAt(osf, data); err != nil {
		free()
		return nil, err
	}
	// Read-only from here on, as a mapping of the file would be: a stray write
	// through a tensor slice faults instead of changing the weights.
	hugemem.ReadOnly(data)
	f, err := Parse(data)
	if err != nil {
		free()
		return nil, err
	}
	f.free = free
	osf.Close()
	return f, nil
}

// readAllAt fills data from r's first len(data) bytes, readChunk at a time, with up to
// GOMAXPROCS readers. A file shorter than data is an error.
func readAllAt(r io.ReaderAt, data []byte) error {
	chunks := (len(data) + readChunk - 1) / readChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				c := next
				next++
				stop := first != nil
				mu.Unlock()
				if stop || c >= chunks {
					return
				}
				lo := c * readChunk
				hi := min(lo+readChunk, len(data))
				if _, err := r.ReadAt(data[lo:hi], int64(lo)); err != nil {
					if err == io.EOF {
						err = fmt.Errorf("file ended before byte %d (it shrank while being read?)", hi)
					}
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("read: %w", err)
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
