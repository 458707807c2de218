package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// decodeJSON decodes one JSON object from body into v: unknown fields, wrong types,
// trailing data and an empty body are errors that say what is wrong.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if _, ok := errorsAs[*http.MaxBytesError](err); ok {
			return err
		}
		return badRequest("the body holds more than one JSON value")
	}
	return nil
}

// jsonError words a decoding error for the client.
func jsonError(err error) error {
	if _, ok := errorsAs[*apiError](err); ok {
		return err
	}
	if _, ok := errorsAs[*http.MaxBytesError](err); ok {
		return err
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("the body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the JSON body is truncated")
	case errors.As(err, &te):
		if te.Field == "" {
			return badRequest("the body must be a JSON object, not %s", te.Value)
		}
		return badParam(te.Field, "field %q must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return badRequest("the body is not valid JSON: %v (at byte %d)", se, se.Offset)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if f, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return badParam(strings.Trim(f, `"`), "unknown field %s", f)
	}
	return badRequest("the body is not valid: %s", msg)
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "uint64", "int32":
		return "an integer"
	case "float64", "float32":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "a " + k
}

// stringOrList decodes a JSON string or array of strings.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = nil
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return badRequest("want a string or an array of strings, got %s", truncate(string(b), 40))
	}
	*s = list
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// stops checks a list of stop strings.
func stops(param string, list []string) ([]string, error) {
	if len(list) > 8 {
		return nil, badParam(param, "%s: at most 8 stop strings, got %d", param, len(list))
	}
	for _, s := range list {
		if s == "" {
			return nil, badParam(param, "%s: a stop string is empty", param)
		}
	}
	return list, nil
}

// checkSampling checks the sampling fields' ranges (the library checks them again).
func checkSampling(temperature, topP float64, topK int) error {
	switch {
	case temperature < 0 || temperature > 100 || temperature != temperature:
		return badParam("temperature", "temperature must be in [0, 100], got %g", temperature)
	case topP < 0 || topP > 1 || topP != topP:
		return badParam("top_p", "top_p must be in [0, 1], got %g", topP)
	case topK < 0:
		return badParam("top_k", "top_k must not be negative, got %d", topK)
	}
	return nil
}
