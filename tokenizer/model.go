package tokenizer

import (
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// pieceType mirrors ModelProto.SentencePiece.Type. The numbering is the
// protobuf enum's, so a value read off the wire can be stored directly.
type pieceType int8

const (
	typeNormal      pieceType = 1
	typeUnknown     pieceType = 2
	typeControl     pieceType = 3
	typeUserDefined pieceType = 4
	typeUnused      pieceType = 5
	typeByte        pieceType = 6
)

// Field numbers of sentencepiece_model.proto (proto2) that this package reads.
// Everything else (the trainer's many knobs, self_test_data, ...) is skipped.
const (
	fieldModelPieces         = 1
	fieldModelTrainerSpec    = 2
	fieldModelNormalizerSpec = 3

	fieldPiecePiece = 1
	fieldPieceScore = 2
	fieldPieceType  = 3

	fieldTrainerModelType    = 3
	fieldTrainerByteFallback = 35
	fieldTrainerUnkSurface   = 44

	fieldNormName                   = 1
	fieldNormPrecompiledCharsmap    = 2
	fieldNormAddDummyPrefix         = 3
	fieldNormRemoveExtraWhitespaces = 4
	fieldNormEscapeWhitespaces      = 5
)

// modelTypeBPE is TrainerSpec.ModelType BPE; UNIGRAM (1) is the proto default.
const modelTypeBPE = 2

// maxPieces bounds the vocabulary so that a corrupt length cannot make us
// allocate without limit. Real PaliGemma has 257152 pieces; 1<<24 leaves 65x
// headroom while still fitting every id in an int32.
const maxPieces = 1 << 24

// rawModel is the subset of a SentencePiece ModelProto the tokenizer needs.
// Optional proto2 fields carry a "has" flag so that defaults can be told
// apart from explicit values (add_dummy_prefix defaults to true, and a model
// that leaves it unset therefore wants a normalisation we do not implement).
type rawModel struct {
	pieces []rawPiece

	hasTrainer   bool
	modelType    uint64
	byteFallback bool
	unkSurface   string
	hasUnkSurf   bool

	hasNormalizer          bool
	normName               string
	precompiledCharsmap    int // length only
	addDummyPrefix         bool
	hasAddDummyPrefix      bool
	removeExtraWhitespaces bool
	hasRemoveExtraWS       bool
	escapeWhitespaces      bool
	hasEscapeWhitespaces   bool
}

type rawPiece struct {
	piece string
	score float32
	typ   pieceType
}

// defaultUnkSurface is TrainerSpec.unk_surface's proto default: " ⁇ ".
const defaultUnkSurface = " \u2047 "

// parseModel decodes the protobuf wire format by hand. It validates every
// length and wire type itself, so arbitrary bytes produce an error rather than
// a panic, and it never needs the full generated proto package.
func parseModel(b []byte) (*rawModel, error) {
	if len(b) == 0 {
		return nil, errors.New("empty model data")
	}
	m := &rawModel{unkSurface: defaultUnkSurface}
	err := walkFields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case fieldModelPieces:
			if typ != protowire.BytesType {
				return fmt.Errorf("pieces: wire type %d, want bytes", typ)
			}
			if len(m.pieces) >= maxPieces {
				return fmt.Errorf("more than %d pieces", maxPieces)
			}
			p, err := parsePiece(v)
			if err != nil {
				return fmt.Errorf("piece %d: %w", len(m.pieces), err)
			}
			m.pieces = append(m.pieces, p)
		case fieldModelTrainerSpec:
			if typ != protowire.BytesType {
				return fmt.Errorf("trainer_spec: wire type %d, want bytes", typ)
			}
			m.hasTrainer = true
			if err := m.parseTrainer(v); err != nil {
				return fmt.Errorf("trainer_spec: %w", err)
			}
		case fieldModelNormalizerSpec:
			if typ != protowire.BytesType {
				return fmt.Errorf("normalizer_spec: wire type %d, want bytes", typ)
			}
			m.hasNormalizer = true
			if err := m.parseNormalizer(v); err != nil {
				return fmt.Errorf("normalizer_spec: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// walkFields calls fn for every field of one message. For varint and fixed
// fields, the value is passed in x; for length-delimited fields, in v.
func walkFields(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("bad field tag: %w", protowire.ParseError(n))
		}
		b = b[n:]
		var (
			v []byte
			x uint64
		)
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var x32 uint32
			x32, n = protowire.ConsumeFixed32(b)
			x = uint64(x32)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			// Groups (deprecated) and reserved wire types never occur in a
			// SentencePiece model; ConsumeFieldValue handles groups for us.
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
		}
		b = b[n:]
		if err := fn(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}

func parsePiece(b []byte) (rawPiece, error) {
	p := rawPiece{typ: typeNormal} // proto default
	err := walkFields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case fieldPiecePiece:
			if typ != protowire.BytesType {
				return fmt.Errorf("piece: wire type %d, want bytes", typ)
			}
			p.piece = string(v)
		case fieldPieceScore:
			if typ != protowire.Fixed32Type {
				return fmt.Errorf("score: wire type %d, want fixed32", typ)
			}
			p.score = math.Float32frombits(uint32(x))
		case fieldPieceType:
			if typ != protowire.VarintType {
				return fmt.Errorf("type: wire type %d, want varint", typ)
			}
			if x < uint64(typeNormal) || x > uint64(typeByte) {
				return fmt.Errorf("unknown piece type %d", x)
			}
			p.typ = pieceType(x)
		}
		return nil
	})
	return p, err
}

func (m *rawModel) parseTrainer(b []byte) error {
	return walkFields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case fieldTrainerModelType:
			if typ != protowire.VarintType {
				return fmt.Errorf("model_type: wire type %d, want varint", typ)
			}
			m.modelType = x
		case fieldTrainerByteFallback:
			if typ != protowire.VarintType {
				return fmt.Errorf("byte_fallback: wire type %d, want varint", typ)
			}
			m.byteFallback = x != 0
		case fieldTrainerUnkSurface:
			if typ != protowire.BytesType {
				return fmt.Errorf("unk_surface: wire type %d, want bytes", typ)
			}
			m.unkSurface = string(v)
			m.hasUnkSurf = true
		}
		return nil
	})
}

func (m *rawModel) parseNormalizer(b []byte) error {
	return walkFields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		wantVarint := func(name string) error {
			if typ != protowire.VarintType {
				return fmt.Errorf("%s: wire type %d, want varint", name, typ)
			}
			return nil
		}
		switch num {
		case fieldNormName:
			if typ != protowire.BytesType {
				return fmt.Errorf("name: wire type %d, want bytes", typ)
			}
			m.normName = string(v)
		case fieldNormPrecompiledCharsmap:
			if typ != protowire.BytesType {
				return fmt.Errorf("precompiled_charsmap: wire type %d, want bytes", typ)
			}
			m.precompiledCharsmap = len(v)
		case fieldNormAddDummyPrefix:
			if err := wantVarint("add_dummy_prefix"); err != nil {
				return err
			}
			m.addDummyPrefix, m.hasAddDummyPrefix = x != 0, true
		case fieldNormRemoveExtraWhitespaces:
			if err := wantVarint("remove_extra_whitespaces"); err != nil {
				return err
			}
			m.removeExtraWhitespaces, m.hasRemoveExtraWS = x != 0, true
		case fieldNormEscapeWhitespaces:
			if err := wantVarint("escape_whitespaces"); err != nil {
				return err
			}
			m.escapeWhitespaces, m.hasEscapeWhitespaces = x != 0, true
		}
		return nil
	})
}

// validate rejects models whose encoding this package would get wrong, and
// models that are internally inconsistent. The checks follow what
// SentencePiece's own ModelInterface does on load (unique, non-empty pieces;
// exactly one <unk>; all 256 byte pieces when byte_fallback is on), plus the
// normaliser settings of the Gemma family, which are the only ones the BPE
// encoder here implements.
func (m *rawModel) validate() error {
	if len(m.pieces) == 0 {
		return errors.New("model has no pieces (not a SentencePiece model?)")
	}
	if !m.hasTrainer {
		return errors.New("model has no trainer_spec (not a SentencePiece model?)")
	}
	if !m.hasNormalizer {
		return errors.New("model has no normalizer_spec (not a SentencePiece model?)")
	}
	if m.modelType != modelTypeBPE {
		return fmt.Errorf("model type %d is not BPE (2); only BPE models such as Gemma's are supported", m.modelType)
	}
	// proto2 defaults: add_dummy_prefix, remove_extra_whitespaces and
	// escape_whitespaces are all true when absent.
	addDummy := !m.hasAddDummyPrefix || m.addDummyPrefix
	removeWS := !m.hasRemoveExtraWS || m.removeExtraWhitespaces
	escapeWS := !m.hasEscapeWhitespaces || m.escapeWhitespaces
	if addDummy || removeWS || !escapeWS {
		return fmt.Errorf("unsupported normalizer (add_dummy_prefix=%v remove_extra_whitespaces=%v escape_whitespaces=%v); "+
			"Gemma models use false/false/true", addDummy, removeWS, escapeWS)
	}
	if m.precompiledCharsmap != 0 {
		return fmt.Errorf("normalizer %q uses a %d-byte precompiled charsmap; only the identity normalizer is supported",
			m.normName, m.precompiledCharsmap)
	}
	if !utf8.ValidString(m.unkSurface) {
		return errors.New("unk_surface is not valid UTF-8")
	}

	seen := make(map[string]int, len(m.pieces))
	unk := -1
	var bytesSeen [256]bool
	nBytes := 0
	for i, p := range m.pieces {
		if p.piece == "" {
			return fmt.Errorf("piece %d is empty", i)
		}
		if !utf8.ValidString(p.piece) {
			return fmt.Errorf("piece %d (%q) is not valid UTF-8", i, p.piece)
		}
		if j, dup := seen[p.piece]; dup {
			return fmt.Errorf("piece %q is defined twice (ids %d and %d)", p.piece, j, i)
		}
		seen[p.piece] = i
		switch p.typ {
		case typeUnknown:
			if unk >= 0 {
				return fmt.Errorf("<unk> defined twice (ids %d and %d)", unk, i)
			}
			unk = i
		case typeByte:
			if !m.byteFallback {
				return fmt.Errorf("byte piece %q (id %d) in a model without byte_fallback", p.piece, i)
			}
			bv, ok := parseBytePiece(p.piece)
			if !ok {
				return fmt.Errorf("byte piece %d is %q, want <0xHH>", i, p.piece)
			}
			if !bytesSeen[bv] {
				bytesSeen[bv] = true
				nBytes++
			}
		}
	}
	if unk < 0 {
		return errors.New("model has no <unk> piece")
	}
	if m.byteFallback && nBytes != 256 {
		return fmt.Errorf("byte_fallback is on but only %d of the 256 byte pieces exist", nBytes)
	}
	return nil
}

// parseBytePiece reads "<0xHH>" (SentencePiece writes upper-case hex).
func parseBytePiece(s string) (byte, bool) {
	if len(s) != 6 || s[:3] != "<0x" || s[5] != '>' {
		return 0, false
	}
	hi, ok1 := hexVal(s[3])
	lo, ok2 := hexVal(s[4])
	if !ok1 || !ok2 {
		return 0, false
	}
	return hi<<4 | lo, true
}

func hexVal(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
