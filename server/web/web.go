// Package web is the page pgedge serve shows at /: drop an image, pick a task, watch
// the answer stream in and the boxes and masks drawn over the image. Plain HTML, CSS
// and JavaScript, embedded in the binary: no build step, no network.
package web

import (
	"embed"
	"net/http"
)

//go:embed index.html app.js style.css
var files embed.FS

// Handler serves the page's files (GET /, /app.js, /style.css).
func Handler() http.Handler {
	fs := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'")
		fs.ServeHTTP(w, r)
	})
}
