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
	app := &cli.App{
		Name:  "pgedge",
		Usage: "run PaliGemma vision-language models on the CPU",
		Description: "pgedge loads a Hugging Face PaliGemma checkpoint directory (config.json, *.safetensors,\n" +
			"tokenizer.model) and answers prompts about images: captions, OCR, questions, detection boxes\n" +
			"and segmentation masks. Every flag can also be set from the environment as PGEDGE_<FLAG>.",
		Commands: []*cli.Command{
			runCommand(),
			tokenizeCommand(),
			convertCommand(),
			synthCommand(),
			inspectCommand(),
			verifyCommand(),
		},
		HideHelpCommand: true,
	}
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintf(os.Stderr, "pgedge: %v\n", err)
		os.Exit(1)
	}
}
