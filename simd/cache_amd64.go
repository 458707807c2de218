//go:build !purego

package simd

// cpuid executes CPUID with EAX = leaf and ECX = sub.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// l2CPU is the L2 size from CPUID leaf 0x80000006 (ECX bits 31:16, KB per core), which
// AMD and Intel processors both report; 0 when the CPU has no such leaf.
func l2CPU() int {
	if max, _, _, _ := cpuid(0x80000000, 0); max < 0x80000006 {
		return 0
	}
	_, _, ecx, _ := cpuid(0x80000006, 0)
	return int(ecx>>16) << 10
}

// cpuIntel reports whether the CPU is Intel's (CPUID leaf 0: "GenuineIntel"); the
// float dispatch keeps its bf16 GEMM off VDPBF16PS there unless the AMX tile runs it
// (fPrefer).
var cpuIntel = func() bool {
	_, b, c, d := cpuid(0, 0)
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e // "Genu" "ineI" "ntel"
}()
