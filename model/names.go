package model

import (
	"path/filepath"
	"reflect"
	"strings"
)

// PresetName names a configuration: the preset whose configuration it is, else the
// base name of the file or directory it came from, without its extension.
func PresetName(cfg *Config, path string) string {
	for _, n := range PresetNames() {
		if p, err := Preset(n); err == nil && reflect.DeepEqual(*p, *cfg) {
			return n
		}
	}
	base := filepath.Base(filepath.Clean(path))
	return strings.TrimSuffix(base, filepath.Ext(base))
}
