// Package refset finds the reference sets that the tests check pgedge against.
//
// A reference set is a directory laid out like testdata/reference: one directory per
// model case (each holding config.json), plus optional preprocess/, tokenizer/ and
// vqvae/ directories. The repository ships one set in testdata/reference; more can be
// dropped in through $PGEDGE_REFERENCE_DIR without code changes.
package refset

import (
	"os"
	"path/filepath"
	"sort"
)

// EnvVar names the environment variable that adds a reference set.
const EnvVar = "PGEDGE_REFERENCE_DIR"

// Set is one reference set directory.
type Set struct {
	Name string // base name of the directory, used in subtest names
	Dir  string // absolute path
}

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Sets returns testdata/reference and, when set, $PGEDGE_REFERENCE_DIR.
func Sets() ([]Set, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	sets := []Set{{Name: "reference", Dir: filepath.Join(root, "testdata", "reference")}}
	if extra := os.Getenv(EnvVar); extra != "" {
		abs, err := filepath.Abs(extra)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, err
		}
		sets = append(sets, Set{Name: filepath.Base(abs), Dir: abs})
	}
	return sets, nil
}

// Case is one model case directory of a set.
type Case struct {
	Name string // directory name, e.g. "pg2-small"
	Dir  string
	Set  Set
}

// Cases lists the model cases (directories holding config.json) of every set, sorted by
// name within each set.
func Cases() ([]Case, error) {
	sets, err := Sets()
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, s := range sets {
		entries, err := os.ReadDir(s.Dir)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			if _, err := os.Stat(filepath.Join(s.Dir, e.Name(), "config.json")); err == nil {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, Case{Name: n, Dir: filepath.Join(s.Dir, n), Set: s})
		}
	}
	return out, nil
}

// Subdirs returns, for every set that has it, the named subdirectory (e.g. "tokenizer",
// "preprocess", "vqvae").
func Subdirs(name string) ([]Set, error) {
	sets, err := Sets()
	if err != nil {
		return nil, err
	}
	var out []Set
	for _, s := range sets {
		d := filepath.Join(s.Dir, name)
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			out = append(out, Set{Name: s.Name, Dir: d})
		}
	}
	return out, nil
}
