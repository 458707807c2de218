package server

import (
	"bytes"
	"mime/multipart"
)

// newMultipart writes a multipart form with fields and, when file is set, one file
// part; it returns the Content-Type.
func newMultipart(b *bytes.Buffer, fields map[string]string, file string, data []byte) string {
	w := multipart.NewWriter(b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if file != "" {
		f, _ := w.CreateFormFile(file, "upload.png")
		f.Write(data)
	}
	w.Close()
	return w.FormDataContentType()
}
