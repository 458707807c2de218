package pgedge_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/pgedge/pgedge"
)

// The demo models are tiny PaliGemma 2s with INT8 weights: pg2-tiny-int8 has random
// weights, so its answers are noise; pg2-tiny-scripted-int8 always answers a box for
// "cat" and a box with a mask for "dog", whatever it is shown (see internal/testmodel),
// so that the detection examples have something to print. The calls are what matters.
const (
	demoModel     = "testdata/demo/pg2-tiny-int8.pge"
	scriptedModel = "testdata/demo/pg2-tiny-scripted-int8.pge"
	demoImage     = "testdata/reference/pg2-small/image.png" // 56×56
	photo         = "testdata/reference/preprocess/img2_photo_320x200.jpg"
	vqvaeWeights  = "testdata/reference/vqvae/vae-oid.npz" // big_vision's mask decoder
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
	m, err := pgedge.Open(scriptedModel)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(photo)
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Generate(context.Background(), pgedge.Request{Image: img, Task: pgedge.Detect, Objects: []string{"cat", "dog"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range res.Objects {
		fmt.Printf("%s at (%d,%d)-(%d,%d)\n", o.Label, o.Box.XMin, o.Box.YMin, o.Box.XMax, o.Box.YMax)
	}
	// Output:
	// cat at (25,19)-(156,136)
	// dog at (140,58)-(306,185)
}

// Segment objects: each gets a mask, as a bitmap and as COCO RLE.
func ExampleModel_Generate_segment() {
	m, err := pgedge.Open(scriptedModel, pgedge.WithVQVAE(vqvaeWeights))
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(photo)
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Generate(context.Background(), pgedge.Request{Image: img, Task: pgedge.Segment, Objects: []string{"dog"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range res.Objects {
		if o.Mask == nil {
			fmt.Println(o.Label, "(box only)")
			continue
		}
		area := 0
		for _, v := range o.Bitmap {
			area += int(v)
		}
		fmt.Printf("%s: mask of %d pixels, RLE size %v\n", o.Label, area, o.Mask.Size)
	}
	// Output:
	// cat (box only)
	// dog: mask of 9691 pixels, RLE size [200 320]
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
