//go:build !purego

package simd

import "testing"

// shrinkZBlocks makes the zmm prefill's and the panel kernels' token blocks
// 16 tokens and their k blocks 512 values, so that small tests cross their
// edges, and runs the amx level's tile kernel from 2 tokens on.
func shrinkZBlocks() (restore func()) {
	okc, opk, obt, oam := zBlockK, panelBlockK, zBlockT, amxMinTokens
	zBlockK, panelBlockK, zBlockT, amxMinTokens = 512, 512, 16, 2
	return func() { zBlockK, panelBlockK, zBlockT, amxMinTokens = okc, opk, obt, oam }
}

// TestZTokenBlock: the blocks are multiples of the tile, stay within the budget but
// for a folded tail (≤ 25% over), and a tail under a quarter block is folded.
func TestZTokenBlock(t *testing.T) {
	for _, c := range []struct{ l2, want int }{{0, 160 << 10}, {256 << 10, 160 << 10}, {512 << 10, 320 << 10},
		{1 << 20, 640 << 10}, {2 << 20, 1 << 20}, {32 << 20, 1 << 20}} {
		if got := zActBudget(c.l2); got != c.want {
			t.Errorf("zActBudget(%d KB) = %d KB, want %d KB", c.l2>>10, got>>10, c.want>>10)
		}
	}
	defer func(a, b int) { zActBytes, zBlockT = a, b }(zActBytes, zBlockT)
	zActBytes, zBlockT = 160<<10, 256
	for _, k := range []int{1152, 2304, 9216} {
		cap := max(zTileT, min(zBlockT, zActBytes/k)/zTileT*zTileT)
		for nx := 1; nx <= 1100; nx++ {
			mc := zTokenBlock(k, nx)
			blocks := (nx + mc - 1) / mc
			if mc%zTileT != 0 || mc > cap*5/4+zTileT || blocks > (nx+cap-1)/cap {
				t.Fatalf("k %d, nx %d: block %d (cap %d, %d blocks)", k, nx, mc, cap, blocks)
			}
			if n := (nx + cap - 1) / cap; n > 1 && nx-(n-1)*cap < cap/4 && blocks == n {
				t.Fatalf("k %d, nx %d: a tail of %d tokens was not folded (block %d)", k, nx, nx-(n-1)*cap, mc)
			}
		}
	}
	// 256 image tokens and 5 text tokens at k = 2304 and 160 KB: 4 blocks, not 5.
	if mc := zTokenBlock(2304, 261); (261+mc-1)/mc != 4 {
		t.Errorf("261 tokens: blocks of %d", mc)
	}
}
