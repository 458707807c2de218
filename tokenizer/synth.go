package tokenizer

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// SynthOptions configures Synthesize.
type SynthOptions struct {
	// VocabSize is the number of pieces in the model, <image> included.
	// It must be at least MinSynthVocab.
	VocabSize int
	// ImageToken is the id given to the "<image>" piece (a CONTROL piece:
	// never matched in text, decoded as nothing). It must fall on an id that
	// would otherwise hold a NORMAL piece. 0 or a negative value means no
	// <image> piece.
	ImageToken int
}

// Ids of the synthetic layout that are the same as in the real PaliGemma
// vocabulary (and in the oracle's tiny models: 2 = <bos>, 108 = "\n").
const (
	synthPadID     = 0
	synthEOSID     = 1
	synthBOSID     = 2
	synthUnkID     = 3
	synthNewlineID = 108
	// synthByteID is where <0x00> sits. Everything between 4 and here is a
	// fixed prefix modelled on Gemma's (control and user-defined pieces,
	// newline and space runs, HTML tags), sized so that "\n" lands on 108.
	synthByteID = 217

	realLocID  = 256000 // <loc0000> in PaliGemma
	realSegID  = 257024 // <seg000>
	realVocab  = 257152 // pieces in PaliGemma's tokenizer.model
	numLoc     = 1024
	numSeg     = 128
	minNormals = 256 // characters and the task words (caption, detect, cat, ...) as pieces
)

// MinSynthVocab is the smallest VocabSize Synthesize accepts (without an
// <image> piece; add one for it): the fixed prefix, the 256 byte pieces, the
// 1152 <loc>/<seg> pieces and a minimum of NORMAL pieces.
const MinSynthVocab = synthByteID + 256 + numLoc + numSeg + minNormals

// Synthesize builds the bytes of a Gemma-style SentencePiece ModelProto: BPE,
// byte_fallback, split_digits, the identity normalizer with
// add_dummy_prefix=false and remove_extra_whitespaces=false. FromBytes
// accepts it and Decode(Encode(s)) == s for every valid UTF-8 s that does not
// contain "▁" (U+2581, SentencePiece's escaped space, which decodes as " ").
//
// Layout (ids):
//
//	0 <pad>, 1 <eos>, 2 <bos> (CONTROL), 3 <unk> (UNKNOWN)
//	4..107  <mask>, <2mass>, [@BOS@] (CONTROL), <unused0>..<unused98>,
//	        <start_of_turn>, <end_of_turn> (USER_DEFINED)
//	108..138 "\n" × 1..31, 139..168 "▁" × 2..31, 169..216 HTML tags (USER_DEFINED)
//	217..472 <0x00>..<0xFF> (BYTE)
//	<loc0000>..<loc1023>, <seg000>..<seg127> (USER_DEFINED): at 256000 and
//	  257024 as in PaliGemma when VocabSize ≥ 257152, else right after the bytes
//	NORMAL pieces everywhere else, scores strictly descending with the id:
//	  "▁", printable ASCII, common English words (each with its prefixes, so
//	  that BPE can reach it), then letter n-grams with and without "▁".
//	ImageToken: <image> (CONTROL)
//
// Only <pad>, <eos>, <bos>, <unk>, "\n" and, at full size, <loc>/<seg> have
// the real ids; the rest is modelled on Gemma but not guaranteed to match it.
// The output is deterministic. A full-size vocabulary takes ~50 ms.
func Synthesize(opts SynthOptions) ([]byte, error) {
	n := opts.VocabSize
	img := opts.ImageToken
	if img <= 0 {
		img = -1
	}
	need := MinSynthVocab
	if img >= 0 {
		need++
	}
	if n < need {
		return nil, fmt.Errorf("tokenizer: Synthesize: VocabSize %d is below the minimum %d", n, need)
	}
	if n > maxPieces {
		return nil, fmt.Errorf("tokenizer: Synthesize: VocabSize %d exceeds %d", n, maxPieces)
	}
	if img >= n {
		return nil, fmt.Errorf("tokenizer: Synthesize: ImageToken %d is outside the vocabulary (size %d)", img, n)
	}

	locID := synthByteID + 256 // packed right after the byte pieces
	if n >= realVocab {
		locID = realLocID // real ids; then segID = 257024
	}
	segID := locID + numLoc
	if img >= 0 && img < synthByteID+256 {
		return nil, fmt.Errorf("tokenizer: Synthesize: ImageToken %d collides with a fixed piece (ids below %d are fixed)", img, synthByteID+256)
	}
	if img >= locID && img < segID+numSeg {
		return nil, fmt.Errorf("tokenizer: Synthesize: ImageToken %d collides with the <loc>/<seg> pieces (%d..%d)", img, locID, segID+numSeg-1)
	}

	w := synthWriter{b: make([]byte, 0, n*16+256)}
	// Fixed prefix.
	w.piece("<pad>", 0, typeControl)
	w.piece("<eos>", 0, typeControl)
	w.piece("<bos>", 0, typeControl)
	w.piece("<unk>", 0, typeUnknown)
	w.piece("<mask>", 0, typeControl)
	w.piece("<2mass>", 0, typeControl)
	w.piece("[@BOS@]", 0, typeControl)
	for i := 0; i <= 98; i++ {
		w.piece(fmt.Sprintf("<unused%d>", i), 0, typeUserDefined)
	}
	w.piece("<start_of_turn>", 0, typeUserDefined)
	w.piece("<end_of_turn>", 0, typeUserDefined)
	if w.count != synthNewlineID {
		panic("tokenizer: Synthesize: newline not at 108")
	}
	for i := 1; i <= 31; i++ {
		w.piece(strings.Repeat("\n", i), 0, typeUserDefined)
	}
	for i := 2; i <= 31; i++ {
		w.piece(strings.Repeat(spaceSymbol, i), 0, typeUserDefined)
	}
	for _, t := range synthHTML {
		w.piece(t, 0, typeUserDefined)
	}
	if w.count != synthByteID {
		panic("tokenizer: Synthesize: byte pieces not at 217")
	}
	for i := 0; i < 256; i++ {
		w.piece(fmt.Sprintf("<0x%02X>", i), 0, typeByte)
	}

	// Everything after the bytes: NORMAL pieces, except <loc>/<seg> and
	// <image> at their ids.
	normals := newNormalGen()
	for w.count < n {
		id := w.count
		switch {
		case id == img:
			w.piece("<image>", 0, typeControl)
		case id == locID:
			for i := 0; i < numLoc; i++ {
				w.piece(fmt.Sprintf("<loc%04d>", i), 0, typeUserDefined)
			}
			for i := 0; i < numSeg; i++ {
				w.piece(fmt.Sprintf("<seg%03d>", i), 0, typeUserDefined)
			}
		default:
			p, rank := normals.next()
			// Scores descend strictly with rank; float32 holds every
			// integer below 2^24 exactly, and maxPieces is 2^24.
			w.piece(p, -float32(rank), typeNormal)
		}
	}

	// TrainerSpec: what FromBytes and SentencePiece need, plus the settings
	// that document the model (vocab_size, split_digits, special ids).
	var tb []byte
	tb = appendVarintField(tb, 3, modelTypeBPE) // model_type = BPE
	tb = appendVarintField(tb, 4, uint64(n))    // vocab_size
	tb = appendVarintField(tb, 25, 1)           // split_digits
	tb = appendVarintField(tb, 26, 1)           // allow_whitespace_only_pieces
	tb = appendVarintField(tb, 35, 1)           // byte_fallback
	tb = appendVarintField(tb, 40, synthUnkID)  // unk_id
	tb = appendVarintField(tb, 41, synthBOSID)  // bos_id
	tb = appendVarintField(tb, 42, synthEOSID)  // eos_id
	tb = appendVarintField(tb, 43, synthPadID)  // pad_id
	tb = protowire.AppendTag(tb, 46, protowire.BytesType)
	tb = protowire.AppendString(tb, "<bos>") // bos_piece
	tb = protowire.AppendTag(tb, 47, protowire.BytesType)
	tb = protowire.AppendString(tb, "<eos>") // eos_piece
	b := protowire.AppendTag(w.b, fieldModelTrainerSpec, protowire.BytesType)
	b = protowire.AppendBytes(b, tb)

	var nb []byte
	nb = protowire.AppendTag(nb, fieldNormName, protowire.BytesType)
	nb = protowire.AppendString(nb, "identity")
	nb = appendVarintField(nb, fieldNormAddDummyPrefix, 0)
	nb = appendVarintField(nb, fieldNormRemoveExtraWhitespaces, 0)
	nb = appendVarintField(nb, fieldNormEscapeWhitespaces, 1)
	b = protowire.AppendTag(b, fieldModelNormalizerSpec, protowire.BytesType)
	b = protowire.AppendBytes(b, nb)
	if len(b) == 0 {
		return nil, errors.New("tokenizer: Synthesize: empty model")
	}
	return b, nil
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// synthWriter appends ModelProto.pieces entries.
type synthWriter struct {
	b     []byte
	count int
}

func (w *synthWriter) piece(s string, score float32, typ pieceType) {
	// Sub-message size: piece (tag + len + bytes), score (tag + 4), type.
	size := 1 + protowire.SizeVarint(uint64(len(s))) + len(s) + 1 + 4
	if typ != typeNormal {
		size += 2
	}
	w.b = protowire.AppendTag(w.b, fieldModelPieces, protowire.BytesType)
	w.b = protowire.AppendVarint(w.b, uint64(size))
	w.b = protowire.AppendTag(w.b, fieldPiecePiece, protowire.BytesType)
	w.b = protowire.AppendString(w.b, s)
	w.b = protowire.AppendTag(w.b, fieldPieceScore, protowire.Fixed32Type)
	w.b = protowire.AppendFixed32(w.b, math.Float32bits(score))
	if typ != typeNormal {
		w.b = protowire.AppendTag(w.b, fieldPieceType, protowire.VarintType)
		w.b = protowire.AppendVarint(w.b, uint64(typ))
	}
	w.count++
}

// synthHTML are 48 user-defined tags, as Gemma has, that bring <0x00> to 217.
var synthHTML = []string{
	"<table>", "<caption>", "<thead>", "<tbody>", "<tfoot>", "<tr>", "<th>", "<td>",
	"</table>", "</caption>", "</thead>", "</tbody>", "</tfoot>", "</tr>", "</th>", "</td>",
	"<h1>", "<h2>", "<h3>", "<h4>", "<h5>", "<h6>",
	"</h1>", "</h2>", "</h3>", "</h4>", "</h5>", "</h6>",
	"<blockquote>", "</blockquote>", "<strong>", "</strong>", "<em>", "</em>",
	"<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<s>", "</s>",
	"<sub>", "</sub>", "<sup>", "</sup>", "<code>", "</code>",
}

// synthWords are merged into whole pieces: PaliGemma's task prefixes and
// frequent English words. Each is added with all of its prefixes, with and
// without a leading "▁", so that BPE merges reach the full word.
var synthWords = strings.Fields(`
caption describe answer question detect segment ocr en
cat dog person car
the of and to in is a that for it with as was on be at by this from
are or an have not but what all were when we there can which their
said if do will each about how up out them then she many some so these
would other into has more her two like him see time could no make than
first been its who now people my made over did down only way find use
may water long little very after words called just where most know get
through back much before go good new write our used me man too any day
same right look think also around another came come work three word must
because does part even place well such here take why things help put
years different away again off went old number great tell men say small
every found still between name should home big give air line set own
under read last never us left end along while might next sound below saw
something thought both few those always looked show large often together
asked house don world going want school important until form food keep
children feet land side without boy once animals life enough took sometimes
four head above kind began almost live page got earth need far hand high
year mother light parts country father let night following picture being
study second eyes soon times story boys since white days ever paper hard
near sentence better best across during today others however sure means
knew its try told young miles sun ways thing whole hear example heard
several change answered room sea against top turned learn point city play
toward five using himself usually money seen image
photo table chair tree road sky grass building window door red blue green
black yellow orange brown pink purple gray woman girl child people street
bird horse cow sheep bus truck train boat bicycle motorcycle airplane
`)

// normalGen yields the NORMAL pieces in score order, each once.
type normalGen struct {
	seen  map[string]bool
	queue []string
	rank  int
	// n-gram enumeration state (after the fixed lists run out)
	length int
	idx    int
	withWS bool
}

func newNormalGen() *normalGen {
	g := &normalGen{seen: make(map[string]bool, 1<<12), length: 2}
	add := func(s string) {
		if !g.seen[s] {
			g.seen[s] = true
			g.queue = append(g.queue, s)
		}
	}
	add(spaceSymbol)
	for _, r := range "etaoinshrdlcumwfgypbvkjxqz" {
		add(string(r))
		add(spaceSymbol + string(r))
	}
	for c := byte('A'); c <= 'Z'; c++ {
		add(string(c))
	}
	for c := byte('0'); c <= '9'; c++ {
		add(string(c)) // split_digits: digits stay single pieces
	}
	for c := byte('!'); c <= '~'; c++ {
		if !('0' <= c && c <= '9') && !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') {
			add(string(c))
		}
	}
	for _, w := range synthWords {
		for i := 2; i <= len(w); i++ {
			add(spaceSymbol + w[:i])
			add(w[:i])
		}
	}
	return g
}

// next returns the next piece and its rank (0 for the highest score).
func (g *normalGen) next() (string, int) {
	r := g.rank
	g.rank++
	if r < len(g.queue) {
		return g.queue[r], r
	}
	// Lower-case letter n-grams of increasing length, each followed by its
	// "▁"-prefixed form; all shorter n-grams precede, so BPE can build them.
	// 26^2 + 26^3 + 26^4 (×2) ≈ 950k candidates cover any vocabulary up to
	// maxPieces with room to spare once lengths go on growing.
	for {
		total := 1
		for i := 0; i < g.length; i++ {
			total *= 26
		}
		if g.idx >= total {
			g.length++
			g.idx = 0
			continue
		}
		var buf [16]byte
		x := g.idx
		for i := g.length - 1; i >= 0; i-- {
			buf[i] = byte('a' + x%26)
			x /= 26
		}
		s := string(buf[:g.length])
		if g.withWS {
			s = spaceSymbol + s
			g.idx++
		}
		g.withWS = !g.withWS
		if !g.seen[s] {
			// Only the fixed lists are in seen; n-grams are generated once.
			return s, r
		}
	}
}
