package tokenizer

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestSynthesize(t *testing.T) {
	for _, c := range []struct {
		vocab, image, loc, seg int
	}{
		{2049, 2048, 473, 1497},
		{MinSynthVocab, 0, 473, 1497},
		{257216, 257152, 256000, 257024},
		{257152, 0, 256000, 257024},
	} {
		t.Run(fmt.Sprint(c.vocab), func(t *testing.T) {
			start := time.Now()
			b, err := Synthesize(SynthOptions{VocabSize: c.vocab, ImageToken: c.image})
			if err != nil {
				t.Fatal(err)
			}
			// Measured ~40 ms at full size; 1 s leaves room for a loaded CI box.
			if d := time.Since(start); d > time.Second {
				t.Errorf("Synthesize took %v, want < 1 s", d)
			}
			tok, err := FromBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := Synthesize(SynthOptions{VocabSize: c.vocab, ImageToken: c.image})
			if !bytes.Equal(b, b2) {
				t.Error("Synthesize is not deterministic")
			}
			if tok.VocabSize() != c.vocab {
				t.Errorf("VocabSize = %d, want %d", tok.VocabSize(), c.vocab)
			}
			wantID := map[string]int{
				"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3, "\n": 108, "<0x00>": 217, "<0xFF>": 472,
				"<loc0000>": c.loc, "<loc1023>": c.loc + 1023, "<seg000>": c.seg, "<seg127>": c.seg + 127,
			}
			if c.image > 0 {
				wantID["<image>"] = c.image
			} else if _, ok := tok.ID("<image>"); ok {
				t.Error("<image> present although ImageToken = 0")
			}
			for p, id := range wantID {
				if got, ok := tok.ID(p); !ok || got != id {
					t.Errorf("ID(%q) = %d, %v; want %d", p, got, ok, id)
				}
			}
			if got := tok.Encode("\n"); !slices.Equal(got, []int{108}) {
				t.Errorf(`Encode("\n") = %v, want [108]`, got)
			}
			want := []int{c.loc + 12, c.seg + 3, tok.mustID(t, "▁cat")}
			if got := tok.Encode("<loc0012><seg003> cat"); !slices.Equal(got, want) {
				t.Errorf("Encode(detection) = %v, want %v", got, want)
			}
			if got := tok.Encode("caption en"); !slices.Equal(got, []int{tok.mustID(t, "caption"), tok.mustID(t, "▁en")}) {
				t.Errorf("Encode(caption en) = %v (%q)", got, tok.pieceList(got))
			}
			if got := tok.Encode("2024"); len(got) != 4 {
				t.Errorf("Encode(2024) = %q, want 4 single digits", tok.pieceList(got))
			}
			if got := tok.Decode([]int{c.image, 2, 1, 0}); c.image > 0 && got != "" {
				t.Errorf("Decode(<image><bos><eos><pad>) = %q, want empty", got)
			}
			for _, s := range []string{
				"", "a", "caption en\n", "detect cat ; dog\n", "<loc0000><loc1023><seg000><seg127> person ; <loc0100>",
				"  leading and   trailing  ", "tabs\tand\n\n\nnewlines\r\n", "Ünïcödé 日本語 🙂 emoji",
				"<image><bos> are plain text here", "numbers 0123456789 3.14159", "x<b>bold</b><table>",
				"\x00\x01 control bytes \x7f", "zzzz qqqq xylophone", "<unused5><start_of_turn>user",
			} {
				ids := tok.Encode(s)
				if got := tok.Decode(ids); got != s {
					t.Errorf("Decode(Encode(%q)) = %q (pieces %q)", s, got, tok.pieceList(ids))
				}
				for _, id := range ids {
					if id == tok.unkID || (c.image > 0 && id == c.image) {
						t.Errorf("Encode(%q) produced id %d", s, id)
					}
				}
			}
		})
	}
}

func TestSynthesizeErrors(t *testing.T) {
	for _, o := range []SynthOptions{
		{VocabSize: MinSynthVocab - 1},
		{VocabSize: MinSynthVocab, ImageToken: 1880},
		{VocabSize: 4000, ImageToken: 4000},
		{VocabSize: 4000, ImageToken: 300},
		{VocabSize: 4000, ImageToken: 500},
		{VocabSize: 257216, ImageToken: 257100},
		{VocabSize: maxPieces + 1},
	} {
		if _, err := Synthesize(o); err == nil {
			t.Errorf("Synthesize(%+v) succeeded", o)
		}
	}
}

func (tok *Tokenizer) mustID(t *testing.T, p string) int {
	t.Helper()
	id, ok := tok.ID(p)
	if !ok {
		t.Fatalf("no piece %q", p)
	}
	return id
}

func (tok *Tokenizer) pieceList(ids []int) []string {
	var s []string
	for _, id := range ids {
		s = append(s, tok.Piece(id))
	}
	return s
}

func BenchmarkSynthesizeFull(b *testing.B) {
	for b.Loop() {
		if _, err := Synthesize(SynthOptions{VocabSize: 257216, ImageToken: 257152}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSynthesizeFullFromBytes(b *testing.B) {
	m, _ := Synthesize(SynthOptions{VocabSize: 257216, ImageToken: 257152})
	for b.Loop() {
		if _, err := FromBytes(m); err != nil {
			b.Fatal(err)
		}
	}
}
