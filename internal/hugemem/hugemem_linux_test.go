package hugemem

import "testing"

func TestParseMemAvailable(t *testing.T) {
	n, err := parseMemAvailable([]byte("MemTotal:       24594432 kB\nMemFree:        20000000 kB\nMemAvailable:   23456789 kB\nBuffers: 1 kB\n"))
	if err != nil || n != 23456789<<10 {
		t.Errorf("got %d, %v; want %d", n, err, int64(23456789)<<10)
	}
	for _, bad := range []string{"", "MemTotal: 1 kB\n", "MemAvailable: x kB\n", "MemAvailable: -5 kB\n"} {
		if n, err := parseMemAvailable([]byte(bad)); err == nil {
			t.Errorf("%q: %d, want an error", bad, n)
		}
	}
}
