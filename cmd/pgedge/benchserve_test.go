package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestBenchServe measures the demo model's server at 1 and 2 clients.
func TestBenchServe(t *testing.T) {
	out, err := runApp(t, "bench-serve", "--model", demoModel, "--clients", "1,2", "--requests-per-client", "2", "--gen-tokens", "4", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var levels []serveLevel
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "{") {
			var lv serveLevel
			if err := json.Unmarshal([]byte(l), &lv); err != nil {
				t.Fatal(err)
			}
			levels = append(levels, lv)
		}
	}
	if len(levels) != 2 {
		t.Fatalf("want 2 levels:\n%s", out)
	}
	for i, lv := range levels {
		if lv.Clients != i+1 || lv.Requests != 2*(i+1) || lv.RequestsPerS <= 0 || lv.TTFTP50MS <= 0 || lv.TTFTP95MS < lv.TTFTP50MS ||
			lv.Tokens != 4*lv.Requests || lv.TokensPerS <= 0 {
			t.Errorf("level %d: %+v", i, lv)
		}
	}
	if _, err := runApp(t, "bench-serve", "--clients", "1"); err == nil {
		t.Error("no --model or --url: no error")
	}
}
