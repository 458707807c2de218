package compress_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pgedge/pgedge/compress"
)

func Example() {
	dir, err := os.MkdirTemp("", "pge-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.pge")

	// Write: nothing appears at path until Close succeeds.
	w, err := compress.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Abort() // no-op after a successful Close
	if err := w.SetMetadata([]byte(`{"model":"paligemma-3b","quant":"int8"}`)); err != nil {
		log.Fatal(err)
	}
	if err := w.AddBlob("tokenizer.model", []byte("...sentencepiece...")); err != nil {
		log.Fatal(err)
	}
	info := compress.TensorInfo{Name: "embed.weight", Type: 1, TypeName: "int8", Shape: []int64{2, 4}, BlockLen: 4, Layout: 1}
	if err := w.AddTensor(info, []byte{1, 2, 3, 4, 5, 6, 7, 8}); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	// Read: the file is mapped and validated; tensor bytes are used in place.
	f, err := compress.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := f.Verify(); err != nil {
		log.Fatal(err)
	}
	t, data, _ := f.Tensor("embed.weight")
	fmt.Println(string(f.Metadata()))
	fmt.Println(t.Name, t.TypeName, t.Shape, t.Offset%compress.DataAlign, data)
	// Output:
	// {"model":"paligemma-3b","quant":"int8"}
	// embed.weight int8 [2 4] 0 [1 2 3 4 5 6 7 8]
}
