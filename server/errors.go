package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pgedge/pgedge"
)

// apiError is an error answered to the client, in the shape of the API it called:
// OpenAI's {"error": {"message", "type", "code"}} on /v1, ollama's {"error": "..."} on
// /api.
type apiError struct {
	status     int
	code       string
	msg        string
	param      string
	retryAfter int // seconds, for 503
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "invalid_request", msg: fmt.Sprintf(format, args...)}
}

func badParam(param, format string, args ...any) *apiError {
	e := badRequest(format, args...)
	e.param = param
	return e
}

// errQueueFull answers a request that finds every slot busy and the queue full.
var errQueueFull = &apiError{status: http.StatusServiceUnavailable, code: "queue_full",
	msg: "the server is busy: every slot is generating and the queue is full; retry later", retryAfter: 1}

// toAPIError maps an error from decoding or generating to what the client is told.
func toAPIError(err error) *apiError {
	if e, ok := errorsAs[*apiError](err); ok {
		return e
	}
	if e, ok := errorsAs[*http.MaxBytesError](err); ok {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: "request_too_large",
			msg: fmt.Sprintf("the request body is larger than the limit of %d bytes", e.Limit)}
	}
	switch {
	case errors.Is(err, pgedge.ErrPromptTooLong):
		return &apiError{status: http.StatusBadRequest, code: "context_length_exceeded", msg: err.Error()}
	case errors.Is(err, pgedge.ErrBadImage):
		return &apiError{status: http.StatusBadRequest, code: "invalid_image", msg: err.Error()}
	case errors.Is(err, pgedge.ErrBadRequest):
		return &apiError{status: http.StatusBadRequest, code: "invalid_request", msg: err.Error()}
	case errors.Is(err, pgedge.ErrClosed):
		return &apiError{status: http.StatusServiceUnavailable, code: "shutting_down", msg: "the server is shutting down", retryAfter: 1}
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{status: http.StatusGatewayTimeout, code: "timeout", msg: "the request took longer than the server's --request-timeout"}
	case errors.Is(err, context.Canceled):
		return &apiError{status: http.StatusServiceUnavailable, code: "cancelled", msg: "the request was cancelled (client gone or server shutting down)"}
	}
	return &apiError{status: http.StatusInternalServerError, code: "internal_error", msg: err.Error()}
}

// isOllama tells whether a path belongs to the ollama API (errors as {"error": "..."}).
func isOllama(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// writeError answers err in the shape of the request's API.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := toAPIError(err)
	rec := info(r)
	rec.err = e.msg
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		// The client is gone: there is no one to answer (logged as 499).
		rec.clientGone = true
		return
	}
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if isOllama(r) {
		writeJSON(w, e.status, map[string]string{"error": e.msg})
		return
	}
	writeJSON(w, e.status, openAIError(e))
}

// openAIError is the body of an OpenAI error.
func openAIError(e *apiError) map[string]any {
	typ := "invalid_request_error"
	switch {
	case e.status == http.StatusUnauthorized:
		typ = "authentication_error"
	case e.status >= 500:
		typ = "server_error"
	}
	body := map[string]any{"message": e.msg, "type": typ, "code": e.code, "param": nil}
	if e.param != "" {
		body["param"] = e.param
	}
	return map[string]any{"error": body}
}

// writeJSON answers v as JSON (HTML characters unescaped, to keep <loc0123> readable).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// marshal is json.Marshal without HTML escaping and without the trailing newline.
func marshal(v any) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(`{}`)
	}
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}
