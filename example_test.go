package pgedge_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/pgedge/pgedge"
)

// The demo model is a tiny PaliGemma 2 with random INT8 weights, so its answers are
// noise; the calls are what matters.
const (
	demoModel = "testdata/demo/pg2-tiny-int8.pge"
	demoImage = "testdata/reference/pg2-small/image.png"
)

// Caption an image.
func Example() {
	m, err := pgedge.Open(demoModel)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(demoImage)
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Generate(context.Background(), pgedge.Request{Image: img, Task: pgedge.Caption, MaxTokens: 8})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q (%d tokens, %s)\n", res.Text, len(res.Tokens), res.FinishReason)
	// Output: "<loc0409><loc0304><loc0304><loc0304><loc0304><loc0304><unused12><unused12>" (8 tokens, length)
}

// Detect objects and print their boxes, in pixels of the original image.
func ExampleModel_Generate_detect() {
	m, err := pgedge.Open(demoModel)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(demoImage)
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Generate(context.Background(), pgedge.Request{
		Image: img, Task: pgedge.Detect, Objects: []string{"cat", "dog"}, MaxTokens: 40,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range res.Objects {
		fmt.Printf("%s at (%d,%d)-(%d,%d)\n", o.Label, o.Box.XMin, o.Box.YMin, o.Box.XMax, o.Box.YMax)
	}
	fmt.Println(len(res.Objects), "objects,", len(res.Unparsed), "unparsed pieces")
	// Output: 0 objects, 1 unparsed pieces
}

// Stream the text as it is generated.
func ExampleRequest_stream() {
	m, err := pgedge.Open(demoModel)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(demoImage)
	if err != nil {
		log.Fatal(err)
	}
	var pieces []string
	res, err := m.Generate(context.Background(), pgedge.Request{
		Image: img, Prompt: "caption en", MaxTokens: 6,
		Stream: func(text string) error {
			pieces = append(pieces, text)
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", pieces)
	fmt.Println(strings.Join(pieces, "") == res.Text)
	// Output:
	// ["<loc0409>" "<loc0304>" "<loc0304>" "<loc0304>" "<loc0304>" "<loc0304>"]
	// true
}

// Stop generation early from the streaming callback.
func ExampleErrStop() {
	m, err := pgedge.Open(demoModel)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(demoImage)
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Generate(context.Background(), pgedge.Request{
		Image: img, Task: pgedge.Caption,
		Stream: func(text string) error {
			if strings.HasPrefix(text, "<unused") {
				return pgedge.ErrStop // enough
			}
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q after %d tokens: %s\n", res.Text, len(res.Tokens), res.FinishReason)
	// Output: "<loc0409><loc0304><loc0304><loc0304><loc0304><loc0304><unused12>" after 7 tokens: stop_requested
}

// Encode an image once and ask two questions about it: the vision tower runs once.
func ExampleModel_EncodeImage() {
	m, err := pgedge.Open(demoModel)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(demoImage)
	if err != nil {
		log.Fatal(err)
	}
	enc, err := m.EncodeImage(context.Background(), img)
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []string{"what is this?", "how many cats?"} {
		res, err := m.Generate(context.Background(), pgedge.Request{Encoded: enc, Task: pgedge.Answer, Question: q, MaxTokens: 4})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %q (vision %.0f ms)\n", q, res.Text, res.Timings.VisionMS)
	}
	// Output:
	// what is this? "<loc0753><loc0753><loc0753><loc0753>" (vision 0 ms)
	// how many cats? "<loc0753><loc0753><loc0753><loc0753>" (vision 0 ms)
}
