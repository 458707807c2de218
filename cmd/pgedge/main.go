// Command pgedge runs Google's PaliGemma vision-language models on the CPU.
//
//	pgedge run --model DIR --image cat.jpg --prompt "caption en"
//
// See `pgedge --help` and `pgedge COMMAND --help`.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintf(os.Stderr, "pgedge: %v\n", err)
		os.Exit(1)
	}
}

// newApp builds the command line (tests run it in-process).
func newApp() *cli.App {
	return &cli.App{
		Name:  "pgedge",
		Usage: "run PaliGemma vision-language models on the CPU",
		Description: "pgedge loads a Hugging Face PaliGemma checkpoint directory (config.json, *.safetensors,\n" +
			"tokenizer.model) or a .pge file made by `pgedge convert` (blocked INT8/INT4 weights, read\n" +
			"into huge pages or mapped: --load) and answers prompts about images: captions, OCR, questions, detection boxes and\n" +
			"segmentation masks. Every flag can also be set from the environment as PGEDGE_<FLAG>.\n\n" +
			"Start with: pgedge run --help",
		Commands: []*cli.Command{
			runCommand(),
			serveCommand(),
			tokenizeCommand(),
			convertCommand(),
			synthCommand(),
			inspectCommand(),
			verifyCommand(),
			infoCommand(),
			benchCommand(),
			benchServeCommand(),
			evalCommand(),
		},
		HideHelpCommand: true,
	}
}
