// Package atomicfile writes files so that readers find either the old file or the
// complete new one at a path, never a part: the data goes to a temporary file in the
// destination's directory (so the rename cannot cross file systems), which is synced,
// renamed over the path, and whose directory is synced, so that the name survives a
// crash. On an error, an Abort or an interrupt (RemoveOnInterrupt) the temporary file
// is removed and the path is left as it was.
//
// Every writer of the project's outputs uses it: .pge files (package compress),
// safetensors, the benchmark baseline, and pgedge run's --out and --draw files.
package atomicfile

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
)

// Mode is the permission of a committed file: readable by everyone, as model files and
// results are meant to be shared (os.CreateTemp's 0600 would surprise).
const Mode = 0o644

// File is a file being written under a temporary name. Write to it (it is an
// *os.File: WriteAt and Seek work too), then Commit or Abort.
type File struct {
	*os.File
	path string
	done bool
}

// live holds the temporary files being written, for RemoveOnInterrupt.
var live = struct {
	sync.Mutex
	names map[string]bool
}{names: map[string]bool{}}

// Create starts a file that will appear at path when Commit succeeds. Its temporary
// name is "<base>.tmp-<random>" beside path.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if base == "" {
		return nil, fmt.Errorf("create %q: not a file name", path)
	}
	if dir == "" {
		dir = "." // CreateTemp would otherwise use the system temp dir
	}
	f, err := os.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return nil, err
	}
	live.Lock()
	live.names[f.Name()] = true
	live.Unlock()
	return &File{File: f, path: path}, nil
}

// Path is where the file appears on Commit.
func (f *File) Path() string { return f.path }

func (f *File) forget() {
	live.Lock()
	delete(live.names, f.Name())
	live.Unlock()
}

// Commit makes the file appear at its path: mode Mode, fsync, close, rename, fsync of
// the directory. On an error nothing is left at the path (an older file there stays)
// and the temporary file is removed.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("commit %s: already committed or aborted", f.path)
	}
	f.done = true
	defer f.forget()
	tmp := f.Name()
	err := f.Chmod(Mode)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	if err := syncDir(filepath.Dir(f.path)); err != nil {
		// The file is complete but its name may not survive a crash; honour "an error
		// means no new file" rather than leave it half-promised.
		os.Remove(f.path)
		return fmt.Errorf("writing %s: sync directory: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file. It does nothing after Commit or another Abort, so
// it can be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
	f.forget()
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for sync there; rename is durable enough
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// RemoveOnInterrupt makes SIGINT and SIGTERM remove every temporary file still being
// written and then call exit (which should end the process), so that an interrupted
// command leaves nothing behind. stop undoes it. (SIGKILL cannot be caught: then no
// file appears at the path, but a temporary one stays.)
func RemoveOnInterrupt(exit func(os.Signal)) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			RemoveTemporaries()
			exit(sig)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// RemoveTemporaries removes the temporary files of every File not yet committed or
// aborted.
func RemoveTemporaries() {
	live.Lock()
	defer live.Unlock()
	for name := range live.names {
		os.Remove(name)
		delete(live.names, name)
	}
}
