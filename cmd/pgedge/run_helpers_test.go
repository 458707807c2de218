package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/internal/testvqvae"
	"github.com/urfave/cli/v2"
)

// writeRunTestPNG writes a w×h gradient PNG.
func writeRunTestPNG(t testing.TB, path string, w, h int) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(255 * x / w), uint8(255 * y / h), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pgRun runs `pgedge run args...` in-process and returns stdout, stderr and the error
// that main would print.
func pgRun(t testing.TB, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{
		Name:            "pgedge",
		Commands:        []*cli.Command{runCommand()},
		HideHelpCommand: true,
		Writer:          &out,
		ErrWriter:       &errb,
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("pgedge run %s panicked: %v", strings.Join(args, " "), r)
			}
		}()
		err = app.Run(append([]string{"pgedge", "run"}, args...))
	}()
	return out.String(), errb.String(), err
}

// runTestVQVAE builds a vae-oid.npz-shaped archive whose weights are all zero except the
// final bias, so every decoded logit equals bias (a full-box mask when positive).
func runTestVQVAE(t testing.TB, bias float32) []byte {
	t.Helper()
	return testvqvae.NPZ(bias)
}
