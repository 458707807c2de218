//go:build tools

package pgedge

import (
	_ "github.com/edsrzf/mmap-go"
	_ "github.com/eliben/go-sentencepiece"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/urfave/cli/v2"
	_ "github.com/x448/float16"
	_ "golang.org/x/image/draw"
	_ "golang.org/x/sys/cpu"
)
