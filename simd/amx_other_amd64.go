//go:build !purego && !linux

package simd

// amxPermitted: only Linux's grant (amx_linux_amd64.go) is implemented;
// elsewhere the AMX level is off.
func amxPermitted() bool { return false }
