package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/simd"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/cpu"
)

// cpuFeatures lists the instruction-set extensions the kernels can use.
func cpuFeatures() map[string]bool {
	switch runtime.GOARCH {
	case "amd64":
		return map[string]bool{
			"avx2": cpu.X86.HasAVX2, "fma": cpu.X86.HasFMA, "avx512f": cpu.X86.HasAVX512F,
			"avx512bw": cpu.X86.HasAVX512BW, "avx512vl": cpu.X86.HasAVX512VL, "avx512vnni": cpu.X86.HasAVX512VNNI,
			"avxvnni": cpu.X86.HasAVXVNNI, "avx512bf16": cpu.X86.HasAVX512BF16,
			"amx-int8": cpu.X86.HasAMXTile && cpu.X86.HasAMXInt8,
		}
	case "arm64":
		return map[string]bool{"asimd": cpu.ARM64.HasASIMD, "asimddp": cpu.ARM64.HasASIMDDP, "i8mm": cpu.ARM64.HasI8MM}
	}
	return map[string]bool{}
}

// kindLevels prints kernel kinds and their levels in the given order.
func kindLevels(m map[string]string, kinds ...string) string {
	var s []string
	for _, k := range kinds {
		s = append(s, k+"="+m[k])
	}
	return strings.Join(s, " ")
}

func infoCommand() *cli.Command {
	return &cli.Command{
		Name:  "info",
		Usage: "show the CPU features found and the kernels chosen",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print as JSON"}},
		Action: func(c *cli.Context) error {
			info := map[string]any{
				"cpu": bench.CPUName(), "arch": runtime.GOARCH, "os": runtime.GOOS,
				"threads": runtime.GOMAXPROCS(0), "features": cpuFeatures(), "kernels": simd.Kernels(),
				"float_kernel_levels": simd.FloatKernelLevels(),
				"int_kernels":         simd.IntKernels(), "int_kernel_levels": simd.IntKernelLevels(),
				"go": runtime.Version(),
			}
			if c.Bool("json") {
				enc := json.NewEncoder(os.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			fmt.Printf("cpu       %s (%s/%s), %d threads\n", info["cpu"], runtime.GOOS, runtime.GOARCH, info["threads"])
			fmt.Printf("features ")
			for _, k := range []string{"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512vnni", "avxvnni", "avx512bf16", "amx-int8", "asimd", "asimddp", "i8mm"} {
				if v, ok := cpuFeatures()[k]; ok {
					mark := "-"
					if v {
						mark = "+"
					}
					fmt.Printf(" %s%s", mark, k)
				}
			}
			fmt.Printf("\nkernels   %s\n", info["kernels"])
			fmt.Printf("float     %s\n", kindLevels(simd.FloatKernelLevels(), "dot", "gemv", "gemm", "elementwise"))
			fmt.Printf("integer   %s\n", info["int_kernels"])
			return nil
		},
	}
}
