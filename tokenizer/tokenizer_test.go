package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/pgedge/pgedge/internal/refset"
)

// vector is one entry of a reference set's tokenizer/vectors.json.
type vector struct {
	Text    string   `json:"text"`
	IDs     []int    `json:"ids"`
	Pieces  []string `json:"pieces"`
	Decoded string   `json:"decoded"`
}

func loadVectors(t testing.TB, dir string) []vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v []vector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s/vectors.json: %v", dir, err)
	}
	return v
}

func tokenizerSets(t testing.TB) []refset.Set {
	t.Helper()
	sets, err := refset.Subdirs("tokenizer")
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) == 0 {
		t.Fatal("no tokenizer reference set found (testdata/reference/tokenizer missing?)")
	}
	return sets
}

func TestTokenizer(t *testing.T) {
	for _, set := range tokenizerSets(t) {
		t.Run(set.Name, func(t *testing.T) {
			tok, err := Load(filepath.Join(set.Dir, "tokenizer.model"))
			if err != nil {
				t.Fatal(err)
			}
			checkInfo(t, tok, set.Dir)
			for i, v := range loadVectors(t, set.Dir) {
				t.Run(strconv.Itoa(i), func(t *testing.T) {
					ids := tok.Encode(v.Text)
					if !slices.Equal(ids, v.IDs) {
						t.Fatalf("Encode(%q)\n got  %v\n want %v", v.Text, ids, v.IDs)
					}
					pieces := make([]string, len(ids))
					for j, id := range ids {
						pieces[j] = tok.Piece(id)
					}
					if !slices.Equal(pieces, v.Pieces) {
						t.Errorf("pieces of %q\n got  %q\n want %q", v.Text, pieces, v.Pieces)
					}
					if got := tok.Decode(v.IDs); got != v.Decoded {
						t.Errorf("Decode(%v) = %q, want %q", v.IDs, got, v.Decoded)
					}
					for j, p := range v.Pieces {
						if id, ok := tok.ID(p); !ok || id != v.IDs[j] {
							t.Errorf("ID(%q) = %d, %v; want %d", p, id, ok, v.IDs[j])
						}
					}
				})
			}
		})
	}
}

// checkInfo compares the vocabulary layout with info.json when the set has
// one: size, special ids, and the first/last id of every piece type.
func checkInfo(t *testing.T, tok *Tokenizer, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "info.json"))
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		VocabSize  int               `json:"vocab_size"`
		SpecialIDs map[string]int    `json:"special_ids"`
		FirstIDs   map[string]string `json:"first_ids"`
		Ranges     map[string][]int  `json:"id_ranges_by_piece_type"`
	}
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatalf("info.json: %v", err)
	}
	if info.VocabSize != 0 && tok.VocabSize() != info.VocabSize {
		t.Errorf("VocabSize() = %d, want %d", tok.VocabSize(), info.VocabSize)
	}
	names := map[string]string{"pad": "<pad>", "eos": "<eos>", "bos": "<bos>", "unk": "<unk>"}
	for name, want := range info.SpecialIDs {
		if p, ok := names[name]; ok {
			if id, ok := tok.ID(p); !ok || id != want {
				t.Errorf("ID(%q) = %d, %v; want %d", p, id, ok, want)
			}
		}
	}
	for sid, want := range info.FirstIDs {
		id, err := strconv.Atoi(sid)
		if err != nil {
			t.Fatalf("info.json first_ids key %q", sid)
		}
		if got := tok.Piece(id); got != want {
			t.Errorf("Piece(%d) = %q, want %q", id, got, want)
		}
	}
	typeNames := map[string]pieceType{"NORMAL": typeNormal, "UNKNOWN": typeUnknown, "CONTROL": typeControl,
		"USER_DEFINED": typeUserDefined, "UNUSED": typeUnused, "BYTE": typeByte}
	for name, r := range info.Ranges {
		typ, ok := typeNames[name]
		if !ok || len(r) != 3 {
			continue
		}
		n := 0
		for id, ty := range tok.types {
			if ty == typ {
				n++
				if id < r[0] || id > r[1] {
					t.Errorf("piece %d (%q) has type %s outside [%d,%d]", id, tok.Piece(id), name, r[0], r[1])
				}
			}
		}
		if n != r[2] {
			t.Errorf("%d pieces of type %s, want %d", n, name, r[2])
		}
	}
}

func TestPieceOutOfRange(t *testing.T) {
	tok := firstTokenizer(t)
	for _, id := range []int{-1, tok.VocabSize(), 1 << 40} {
		if p := tok.Piece(id); p != "" {
			t.Errorf("Piece(%d) = %q, want empty", id, p)
		}
	}
	if _, ok := tok.ID("no such piece, surely"); ok {
		t.Error("ID of an unknown piece reported ok")
	}
	// Out-of-range ids are skipped rather than panicking.
	if got := tok.Decode([]int{-5, tok.VocabSize(), 1 << 40}); got != "" {
		t.Errorf("Decode(out of range) = %q, want empty", got)
	}
}

// TestControlAndBytes covers decode rules that vectors.json (where decoded ==
// text) cannot: control pieces vanish, <unk> shows unk_surface, and a byte
// run that is not UTF-8 gives one U+FFFD per bad byte.
func TestControlAndBytes(t *testing.T) {
	tok := firstTokenizer(t)
	id := func(p string) int {
		i, ok := tok.ID(p)
		if !ok {
			t.Fatalf("model has no piece %q", p)
		}
		return i
	}
	hello := tok.Encode("hello")
	ids := append([]int{id("<bos>"), id("<pad>")}, hello...)
	ids = append(ids, id("<eos>"))
	if got := tok.Decode(ids); got != "hello" {
		t.Errorf("Decode with control pieces = %q, want %q", got, "hello")
	}
	if got := tok.Decode([]int{id("<unk>")}); got != defaultUnkSurface {
		t.Errorf("Decode(<unk>) = %q, want %q", got, defaultUnkSurface)
	}
	// 0xE6 0x97 is a truncated 3-byte sequence; 0x41 is 'A'.
	got := tok.Decode([]int{id("<0xE6>"), id("<0x97>"), id("<0x41>")})
	if want := "\uFFFD\uFFFDA"; got != want {
		t.Errorf("Decode(bad bytes) = %q, want %q", got, want)
	}
	// Invalid input bytes encode as U+FFFD, one per byte.
	if a, b := tok.Encode("x\xe6\x97y"), tok.Encode("x\uFFFD\uFFFDy"); !slices.Equal(a, b) {
		t.Errorf("Encode(invalid UTF-8) = %v, want %v (as U+FFFD)", a, b)
	}
}

// TestBadModel feeds garbage, truncations and well-formed protobufs that are
// not usable tokenizers; each must give an error (and never panic).
func TestBadModel(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(tokenizerSets(t)[0].Dir, "tokenizer.model"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"nil":        nil,
		"empty":      {},
		"zero byte":  {0},
		"text":       []byte("this is not a sentencepiece model\n"),
		"png header": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		// A field-1 tag announcing a 2^31-byte message.
		"huge length": {0x0a, 0x80, 0x80, 0x80, 0x80, 0x08},
		// Valid protobuf with one piece but no trainer/normalizer spec.
		"one piece": {0x0a, 0x03, 0x0a, 0x01, 'a'},
		"half":      good[:len(good)/2],
		"all but 1": good[:len(good)-1],
		"first 100": good[:100],
	}
	for i := 0; i < 8; i++ {
		cases["random "+strconv.Itoa(i)] = pseudoRandom(uint64(i+1), 64<<i)
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			tok, err := FromBytes(b)
			if err == nil {
				t.Fatalf("FromBytes accepted %d bytes of garbage (vocab %d)", len(b), tok.VocabSize())
			}
			t.Log(err)
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.model")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}

// pseudoRandom is a splitmix64 byte stream: deterministic garbage.
func pseudoRandom(seed uint64, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		seed += 0x9e3779b97f4a7c15
		z := seed
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		b[i] = byte(z ^ (z >> 31))
	}
	return b
}

var (
	firstOnce sync.Once
	firstTok  *Tokenizer
	firstErr  error
)

// firstTokenizer loads the model of the first reference set once per process
// (the fuzzer calls it for every input).
func firstTokenizer(t testing.TB) *Tokenizer {
	t.Helper()
	firstOnce.Do(func() {
		sets, err := refset.Subdirs("tokenizer")
		if err != nil || len(sets) == 0 {
			firstErr = err
			if err == nil {
				firstErr = os.ErrNotExist
			}
			return
		}
		firstTok, firstErr = Load(filepath.Join(sets[0].Dir, "tokenizer.model"))
	})
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	return firstTok
}

// FuzzEncode checks that Encode never panics, that every id is in range, and
// that decoding gives back the text. The round trip is exact for valid UTF-8
// (every vector in vectors.json has decoded == text, thanks to byte fallback)
// with two documented exceptions that SentencePiece shares: a literal "▁"
// (U+2581) in the input decodes as a space, and each invalid byte becomes
// U+FFFD.
func FuzzEncode(f *testing.F) {
	for _, set := range tokenizerSets(f) {
		for _, v := range loadVectors(f, set.Dir) {
			f.Add(v.Text)
		}
	}
	f.Add("a\xffb\xe6\x97")
	f.Add("\u2581 x")
	f.Fuzz(func(t *testing.T, s string) {
		tok := firstTokenizer(t)
		ids := tok.Encode(s)
		for _, id := range ids {
			if id < 0 || id >= tok.VocabSize() {
				t.Fatalf("Encode(%q) gave id %d outside [0,%d)", s, id, tok.VocabSize())
			}
		}
		want := strings.ReplaceAll(sanitizeUTF8(s), spaceSymbol, " ")
		if got := tok.Decode(ids); got != want {
			t.Fatalf("Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
		if utf8.ValidString(s) && !strings.Contains(s, spaceSymbol) && want != s {
			t.Fatalf("round trip of valid %q is not the identity", s)
		}
	})
}
