package compress

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// assertNoOutput checks that nothing exists at path.
func assertNoOutput(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after an unfinished write (stat error %v)", path, err)
	}
}

// assertNoTemp checks that no temporary file of the writer is left.
func assertNoTemp(t *testing.T, path string) {
	t.Helper()
	if m, _ := filepath.Glob(path + ".tmp-*"); len(m) != 0 {
		t.Errorf("temporary files left behind: %v", m)
	}
}

// startWrite begins writing the small model without closing the writer.
func startWrite(t *testing.T, path string) *Writer {
	t.Helper()
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	m := smallModel()
	for _, b := range m.blobs {
		if err := w.AddBlob(b.name, b.data); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range m.tensors {
		if err := w.AddTensor(tt.info, tt.data); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestAbortLeavesNoFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.pge")
	w := startWrite(t, path)
	if m, _ := filepath.Glob(path + ".tmp-*"); len(m) != 1 {
		t.Fatalf("expected one temporary file while writing, found %v", m)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	assertNoOutput(t, path)
	assertNoTemp(t, path)
	if err := w.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after Abort succeeded")
	}
	assertNoOutput(t, path)
}

// TestUnclosedWriterLeavesNoFile is the in-process picture of a crash: until
// Close, however much has been written, nothing is at path.
func TestUnclosedWriterLeavesNoFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.pge")
	w := startWrite(t, path)
	defer w.Abort()
	assertNoOutput(t, path)
	// The partial temporary file is not mistakable for a .pge file.
	tmp, _ := filepath.Glob(path + ".tmp-*")
	if len(tmp) != 1 {
		t.Fatalf("temporary files: %v", tmp)
	}
	if _, err := Open(tmp[0]); err == nil {
		t.Error("a partial temporary file opened as a valid .pge file")
	}
}

func TestFailedStreamLeavesNoFile(t *testing.T) {
	for name, r := range map[string]io.Reader{
		"short reader": bytes.NewReader(make([]byte, 100)),
		"read error":   io.MultiReader(bytes.NewReader(make([]byte, 50)), iotest.ErrReader(errors.New("disk on fire"))),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.pge")
			w := startWrite(t, path)
			err := w.AddTensorFrom(TensorInfo{Name: "partial", Shape: []int64{1000}}, 1000, r)
			if err == nil {
				t.Fatal("AddTensorFrom with a failing reader succeeded")
			}
			if !strings.Contains(err.Error(), `tensor "partial"`) {
				t.Errorf("error %q does not name the tensor", err)
			}
			// The error path alone cleans up; no Abort needed.
			assertNoOutput(t, path)
			assertNoTemp(t, path)
			if err := w.AddBlob("more", nil); err == nil {
				t.Error("writer accepted more data after a failed write")
			}
			if err := w.Close(); err == nil {
				t.Error("Close after a failed write succeeded")
			}
			assertNoOutput(t, path)
			assertNoTemp(t, path)
			if err := w.Abort(); err != nil {
				t.Errorf("Abort after failure: %v", err)
			}
		})
	}
}

// TestExistingFileReplacedOnlyOnClose: an abort keeps the old file, a
// successful Close replaces it whole.
func TestExistingFileReplacedOnlyOnClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.pge")
	writeModel(t, path, testModel{meta: []byte(`{"v":1}`)})

	w := startWrite(t, path)
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(f.Metadata()) != `{"v":1}` {
		t.Errorf("old file changed by an aborted write: %s", f.Metadata())
	}
	// A reader holding the old file keeps seeing it across the replace.
	writeModel(t, path, testModel{meta: []byte(`{"v":2}`)})
	if string(f.Metadata()) != `{"v":1}` {
		t.Errorf("open file changed under its reader: %s", f.Metadata())
	}
	f.Close()
	f, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if string(f.Metadata()) != `{"v":2}` {
		t.Errorf("file not replaced: %s", f.Metadata())
	}
	assertNoTemp(t, path)
}

func TestCreateErrors(t *testing.T) {
	if _, err := Create(filepath.Join(t.TempDir(), "no", "such", "dir", "m.pge")); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
	if _, err := Create(t.TempDir() + string(filepath.Separator)); err == nil {
		t.Error("Create of a directory path succeeded")
	}
}

// killHelperEnv makes the test binary act as a writer that gets killed.
const killHelperEnv = "PGEDGE_COMPRESS_KILL_HELPER"

// TestKilledWriterHelper is not a test by itself: run by
// TestKilledWriterLeavesNoFile in a child process, it writes part of a file,
// reports "ready", and waits to be killed.
func TestKilledWriterHelper(t *testing.T) {
	path := os.Getenv(killHelperEnv)
	if path == "" {
		t.Skip("helper process for TestKilledWriterLeavesNoFile")
	}
	w := startWrite(t, path)
	// Force the buffered data to disk so the kill lands mid-file, not
	// before anything was written.
	if err := w.bw.Flush(); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("ready\n")
	time.Sleep(time.Minute) // the parent kills us long before this
	w.Abort()
}

// TestKilledWriterLeavesNoFile kills a writing process with SIGKILL, so no
// Go code (no deferred Abort) runs: nothing may appear at path, and the only
// trace is the documented stale temporary file.
func TestKilledWriterLeavesNoFile(t *testing.T) {
	if os.Getenv(killHelperEnv) != "" {
		t.Skip("in helper")
	}
	path := filepath.Join(t.TempDir(), "m.pge")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), killHelperEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if s.Text() == "ready" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Wait()
			t.Fatalf("helper exited before writing: %s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper never became ready: %s", stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()

	assertNoOutput(t, path)
	tmp, _ := filepath.Glob(path + ".tmp-*")
	if len(tmp) != 1 {
		t.Fatalf("expected the stale temporary file, found %v", tmp)
	}
	if st, err := os.Stat(tmp[0]); err != nil || st.Size() <= PageAlign {
		t.Fatalf("stale temporary file %v (%v): the kill should have landed after data was written", st, err)
	}
	if _, err := Open(tmp[0]); !errors.Is(err, ErrFormat) {
		t.Errorf("stale temporary file must not open as a .pge file: %v", err)
	}
}
