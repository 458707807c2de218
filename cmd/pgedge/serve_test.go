package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeReadmeCommand runs the README's `./pgedge serve` command in-process on a
// free loopback port, waits for /health, then sends the process SIGTERM: the server
// drains and the command returns without error (exit status 0).
func TestServeReadmeCommand(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(readme), "\n") {
		if i := strings.Index(l, "./pgedge serve "); i >= 0 && strings.HasPrefix(l, "go build") {
			line = l[i+len("./pgedge "):]
			break
		}
	}
	if line == "" {
		t.Fatal("README.md has no `go build ... && ./pgedge serve ...` line")
	}
	args := splitShell(line)
	for i, a := range args {
		if strings.HasPrefix(a, "testdata/") {
			args[i] = "../../" + a
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args = append(args, "--addr", addr, "--drain-timeout", "5s")

	done := make(chan error, 1)
	go func() {
		app := newApp()
		app.Writer, app.ErrWriter = os.Stderr, &strings.Builder{}
		done <- app.RunContext(context.Background(), append([]string{"pgedge"}, args...))
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("pgedge %s returned early: %v", strings.Join(args, " "), err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not become healthy")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop after SIGTERM")
	}
	if _, err := http.Get("http://" + addr + "/health"); err == nil {
		t.Error("the server still answers after SIGTERM")
	}
}
