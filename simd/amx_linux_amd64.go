//go:build !purego

package simd

import "syscall"

// amxPermitted asks Linux for the AMX tile data state (8 KB per thread,
// saved on context switches once a thread has used it):
// arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA), Linux ≥ 5.16. The
// grant is for the whole process. Without it the first tile instruction
// would kill the process with SIGILL, so a refusal turns the level off.
func amxPermitted() bool {
	const archReqXcompPerm, xfeatureXTileData = 0x1023, 18
	_, _, errno := syscall.RawSyscall(syscall.SYS_ARCH_PRCTL, archReqXcompPerm, xfeatureXTileData, 0)
	return errno == 0
}
