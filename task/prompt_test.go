package task

import (
	"strings"
	"testing"
)

// The expected prompts are the task templates of the PaliGemma model card ("caption en",
// "answer en ...", "detect cat ; dog", ...).
func TestPrompt(t *testing.T) {
	ok := []struct {
		task, lang, q string
		objs          []string
		want          string
	}{
		{"caption", "en", "", nil, "caption en"},
		{"cap", "", "", nil, "cap en"},
		{"describe", "es", "", nil, "describe es"},
		{"ocr", "de", "", nil, "ocr"},
		{"answer", "en", "Where is the cow standing?", nil, "answer en Where is the cow standing?"},
		{"question", "fr", "beach", nil, "question fr beach"},
		{"detect", "", "", []string{"cat", " dog "}, "detect cat ; dog"},
		{"segment", "", "", []string{"left person"}, "segment left person"},
		{" Detect ", "", "", []string{"car"}, "detect car"},
	}
	for _, c := range ok {
		got, err := Prompt(c.task, c.lang, c.q, c.objs)
		if err != nil || got != c.want {
			t.Errorf("Prompt(%q, %q, %q, %q) = %q, %v; want %q", c.task, c.lang, c.q, c.objs, got, err, c.want)
		}
	}
	bad := []struct {
		task, lang, q string
		objs          []string
		errHas        string
	}{
		{"translate", "en", "", nil, "unknown task"},
		{"", "en", "", nil, "empty task"},
		{"answer", "en", "  ", nil, "needs a question"},
		{"question", "en", "", nil, "answer text"},
		{"answer", "en", "two\nlines", nil, "one line"},
		{"detect", "", "", nil, "at least one object"},
		{"segment", "", "", []string{"cat", " "}, "empty"},
		{"detect", "", "", []string{"a;b"}, "';'"},
		{"caption", "e n", "", nil, "whitespace"},
	}
	for _, c := range bad {
		_, err := Prompt(c.task, c.lang, c.q, c.objs)
		if err == nil || !strings.Contains(err.Error(), c.errHas) {
			t.Errorf("Prompt(%q, %q, %q, %q): error %v, want one mentioning %q", c.task, c.lang, c.q, c.objs, err, c.errHas)
		}
	}
}
