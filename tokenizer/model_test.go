package tokenizer

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// synthModel describes a small SentencePiece model to be serialized by
// build. Zero values give a valid Gemma-style model (see validSynth).
type synthModel struct {
	pieces []rawPiece

	omitTrainer, omitNormalizer bool
	modelType                   uint64 // 0: leave unset (proto default UNIGRAM)
	byteFallback                bool
	omitAddDummyPrefix          bool
	addDummyPrefix              bool
	charsmap                    []byte
}

func (s synthModel) build() []byte {
	var b []byte
	for _, p := range s.pieces {
		var pb []byte
		pb = protowire.AppendTag(pb, fieldPiecePiece, protowire.BytesType)
		pb = protowire.AppendString(pb, p.piece)
		pb = protowire.AppendTag(pb, fieldPieceScore, protowire.Fixed32Type)
		pb = protowire.AppendFixed32(pb, math.Float32bits(p.score))
		if p.typ != typeNormal {
			pb = protowire.AppendTag(pb, fieldPieceType, protowire.VarintType)
			pb = protowire.AppendVarint(pb, uint64(p.typ))
		}
		b = protowire.AppendTag(b, fieldModelPieces, protowire.BytesType)
		b = protowire.AppendBytes(b, pb)
	}
	if !s.omitTrainer {
		var tb []byte
		if s.modelType != 0 {
			tb = protowire.AppendTag(tb, fieldTrainerModelType, protowire.VarintType)
			tb = protowire.AppendVarint(tb, s.modelType)
		}
		tb = protowire.AppendTag(tb, fieldTrainerByteFallback, protowire.VarintType)
		tb = protowire.AppendVarint(tb, protowire.EncodeBool(s.byteFallback))
		b = protowire.AppendTag(b, fieldModelTrainerSpec, protowire.BytesType)
		b = protowire.AppendBytes(b, tb)
	}
	if !s.omitNormalizer {
		var nb []byte
		nb = protowire.AppendTag(nb, fieldNormName, protowire.BytesType)
		nb = protowire.AppendString(nb, "identity")
		if len(s.charsmap) > 0 {
			nb = protowire.AppendTag(nb, fieldNormPrecompiledCharsmap, protowire.BytesType)
			nb = protowire.AppendBytes(nb, s.charsmap)
		}
		if !s.omitAddDummyPrefix {
			nb = protowire.AppendTag(nb, fieldNormAddDummyPrefix, protowire.VarintType)
			nb = protowire.AppendVarint(nb, protowire.EncodeBool(s.addDummyPrefix))
		}
		nb = protowire.AppendTag(nb, fieldNormRemoveExtraWhitespaces, protowire.VarintType)
		nb = protowire.AppendVarint(nb, 0)
		b = protowire.AppendTag(b, fieldModelNormalizerSpec, protowire.BytesType)
		b = protowire.AppendBytes(b, nb)
	}
	return b
}

// validSynth is a 265-piece Gemma-style model: 3 control/unknown pieces, two
// user-defined ones, the 256 byte pieces and a few BPE pieces whose scores
// make "ab" merge before "bc".
func validSynth() synthModel {
	p := []rawPiece{
		{piece: "<pad>", typ: typeControl},
		{piece: "<eos>", typ: typeControl},
		{piece: "<bos>", typ: typeControl},
		{piece: "<unk>", typ: typeUnknown},
		{piece: "<loc0001>", typ: typeUserDefined},
		{piece: "\n", typ: typeUserDefined},
	}
	for i := 0; i < 256; i++ {
		p = append(p, rawPiece{piece: fmt.Sprintf("<0x%02X>", i), typ: typeByte})
	}
	p = append(p,
		rawPiece{piece: "a", score: -1, typ: typeNormal},
		rawPiece{piece: "b", score: -2, typ: typeNormal},
		rawPiece{piece: "c", score: -3, typ: typeNormal},
		rawPiece{piece: "▁", score: -4, typ: typeNormal},
		rawPiece{piece: "ab", score: -5, typ: typeNormal},
		rawPiece{piece: "bc", score: -6, typ: typeNormal},
		rawPiece{piece: "▁a", score: -7, typ: typeNormal},
	)
	return synthModel{pieces: p, modelType: modelTypeBPE, byteFallback: true}
}

func TestSynthModel(t *testing.T) {
	tok, err := FromBytes(validSynth().build())
	if err != nil {
		t.Fatal(err)
	}
	id := func(p string) int {
		i, ok := tok.ID(p)
		if !ok {
			t.Fatalf("no piece %q", p)
		}
		return i
	}
	// "abc": ab (-5) beats bc (-6). " a" merges to "▁a". "<eos>" is not
	// matched as a piece; '<' etc. have no piece and fall back to bytes.
	text := "abc a<loc0001>\nd<eos>"
	want := []int{id("ab"), id("c"), id("▁a"), id("<loc0001>"), id("\n"), id("<0x64>")}
	for _, c := range []byte("<eos>") {
		want = append(want, id(fmt.Sprintf("<0x%02X>", c)))
	}
	if got := tok.Encode(text); !slices.Equal(got, want) {
		t.Errorf("Encode(%q) = %v, want %v", text, got, want)
	}
	if got := tok.Decode(want); got != text {
		t.Errorf("Decode = %q, want %q", got, text)
	}
	if tok.VocabSize() != len(validSynth().pieces) {
		t.Errorf("VocabSize = %d", tok.VocabSize())
	}
}

// TestBadSynthModel checks that well-formed protobufs describing a model this
// package cannot reproduce, or an inconsistent one, are refused with an error
// that names the problem.
func TestBadSynthModel(t *testing.T) {
	mutate := func(f func(*synthModel)) []byte {
		s := validSynth()
		s.pieces = slices.Clone(s.pieces)
		f(&s)
		return s.build()
	}
	cases := []struct {
		name, wantErr string
		b             []byte
	}{
		{"no trainer", "trainer_spec", mutate(func(s *synthModel) { s.omitTrainer = true })},
		{"no normalizer", "normalizer_spec", mutate(func(s *synthModel) { s.omitNormalizer = true })},
		{"unigram default", "not BPE", mutate(func(s *synthModel) { s.modelType = 0 })},
		{"unigram", "not BPE", mutate(func(s *synthModel) { s.modelType = 1 })},
		{"dummy prefix default", "add_dummy_prefix=true", mutate(func(s *synthModel) { s.omitAddDummyPrefix = true })},
		{"dummy prefix", "add_dummy_prefix=true", mutate(func(s *synthModel) { s.addDummyPrefix = true })},
		{"charsmap", "charsmap", mutate(func(s *synthModel) { s.charsmap = []byte{1, 2, 3} })},
		{"no pieces", "no pieces", mutate(func(s *synthModel) { s.pieces = nil })},
		{"no unk", "no <unk>", mutate(func(s *synthModel) { s.pieces[3].typ = typeControl })},
		{"two unk", "<unk> defined twice", mutate(func(s *synthModel) { s.pieces[2].typ = typeUnknown })},
		{"duplicate", "defined twice", mutate(func(s *synthModel) { s.pieces[len(s.pieces)-1].piece = "a" })},
		{"empty piece", "empty", mutate(func(s *synthModel) { s.pieces[len(s.pieces)-1].piece = "" })},
		{"bad utf8", "UTF-8", mutate(func(s *synthModel) { s.pieces[len(s.pieces)-1].piece = "\xff" })},
		{"bad type", "piece type", mutate(func(s *synthModel) { s.pieces[5].typ = 9 })},
		{"missing byte", "255 of the 256", mutate(func(s *synthModel) { s.pieces[6+0x41].typ = typeNormal })},
		{"bad byte piece", "want <0xHH>", mutate(func(s *synthModel) { s.pieces[len(s.pieces)-1].typ = typeByte })},
		{"byte without fallback", "without byte_fallback", mutate(func(s *synthModel) { s.byteFallback = false })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromBytes(c.b)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %q does not mention %q", err, c.wantErr)
			}
		})
	}
}

// FuzzFromBytes mutates small models: FromBytes must return an error or a
// tokenizer that encodes and decodes without panicking.
func FuzzFromBytes(f *testing.F) {
	f.Add(validSynth().build())
	f.Add(validSynth().build()[:100])
	s := validSynth()
	s.byteFallback = false
	s.pieces = s.pieces[:6]
	f.Add(s.build())
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := FromBytes(b)
		if err != nil {
			return
		}
		ids := tok.Encode("abc a<loc0001>\n\xff日本 ")
		for _, id := range ids {
			if id < 0 || id >= tok.VocabSize() {
				t.Fatalf("id %d out of range", id)
			}
		}
		tok.Decode(append(ids, -1, 0, 1, 2, tok.VocabSize()))
	})
}
