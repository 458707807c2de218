package model

import (
	"path/filepath"
	"reflect"
	"strings"
)

// WeightsName is the --weights spelling of a storage type: "int8", "int4", "bf16",
// "f16" or "f32".
func WeightsName(d DType) string {
	switch d {
	case Q8:
		return "int8"
	case Q4:
		return "int4"
	}
	return strings.ToLower(d.String())
}

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
