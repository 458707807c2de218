package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/pgedge/pgedge"
)

// TestStopper: stop strings are found across pieces, the text before them is passed on
// exactly once, and a held-back prefix that does not become a stop string is flushed.
func TestStopper(t *testing.T) {
	for _, tc := range []struct {
		pieces []string
		stops  []string
		want   string
		stop   bool
	}{
		{[]string{"ab", "c<e", "nd>x"}, []string{"<end>"}, "abc", true},
		{[]string{"ab", "c<e", "nx"}, []string{"<end>"}, "abc<enx", false},
		{[]string{"hello ", "wor", "ld"}, []string{"wor", "o w"}, "hell", true},
		{[]string{"a<", "<", "b"}, []string{"<<b"}, "a", true},
		{[]string{"abc"}, nil, "abc", false},
		{[]string{"x", "y<"}, []string{"<z"}, "xy<", false},
	} {
		var out strings.Builder
		st := &stopper{stops: tc.stops, emit: func(s string) error { out.WriteString(s); return nil }}
		stopped := false
		for _, p := range tc.pieces {
			if err := st.add(p); errors.Is(err, pgedge.ErrStop) {
				stopped = true
				break
			} else if err != nil {
				t.Fatal(err)
			}
		}
		if !stopped {
			st.flush()
		}
		if out.String() != tc.want || st.text.String() != tc.want || stopped != tc.stop {
			t.Errorf("%q with stops %q: emitted %q (text %q, stopped %v), want %q (%v)", tc.pieces, tc.stops, out.String(), st.text.String(), stopped, tc.want, tc.stop)
		}
	}
}
