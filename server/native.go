package server

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/pgedge/pgedge"
)

// runRequest is the body of POST /v1/run: the fields of pgedge.Request, the image as
// base64 (or a data URL; or an http(s) URL in image_url with --allow-remote-images).
type runRequest struct {
	Image       string      `json:"image"`
	ImageURL    string      `json:"image_url"`
	Task        string      `json:"task"`
	Lang        string      `json:"lang"`
	Question    string      `json:"question"`
	Objects     objectNames `json:"objects"`
	Prompt      string      `json:"prompt"`
	PromptIDs   []int       `json:"prompt_ids"`
	MaxTokens   int         `json:"max_tokens"`
	Temperature float64     `json:"temperature"`
	TopK        int         `json:"top_k"`
	TopP        float64     `json:"top_p"`
	Seed        uint64      `json:"seed"`
	Stream      bool        `json:"stream"`
}

// objectNames is a list of names, or one string "cat ; dog" as the command line takes it.
type objectNames []string

func (o *objectNames) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		names, err := pgedge.SplitObjects(s)
		if err != nil {
			return badParam("objects", "objects: %v", err)
		}
		*o = names
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return badParam("objects", "objects must be a list of names or one string \"cat ; dog\"")
	}
	*o = list
	return nil
}

// runCall is a decoded /v1/run request.
type runCall struct {
	gen    genRequest
	stream bool
}

func (s *Server) toRunCall(ctx context.Context, rr *runRequest, img *pgedge.Image) (*runCall, error) {
	c := &runCall{stream: rr.Stream}
	req := &c.gen.req
	*req = pgedge.Request{Task: pgedge.Task(rr.Task), Lang: rr.Lang, Question: rr.Question, Objects: rr.Objects,
		Prompt: rr.Prompt, PromptIDs: rr.PromptIDs, MaxTokens: rr.MaxTokens,
		Sampling: pgedge.Sampling{Temperature: rr.Temperature, TopK: rr.TopK, TopP: rr.TopP, Seed: rr.Seed}}
	if err := checkSampling(rr.Temperature, rr.TopP, rr.TopK); err != nil {
		return nil, err
	}
	if _, err := req.PromptText(); err != nil {
		return nil, err
	}
	var err error
	switch n := btoi(img != nil) + btoi(rr.Image != "") + btoi(rr.ImageURL != ""); {
	case n > 1:
		return nil, badParam("image", "give one image: image or image_url")
	case img != nil:
		req.Image = img
	case rr.Image != "":
		req.Image, err = decodeBase64Image("image", rr.Image)
	case rr.ImageURL != "":
		req.Image, err = s.imageURL(ctx, "image_url", rr.ImageURL)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// decodeRun decodes a JSON body.
func (s *Server) decodeRun(ctx context.Context, body io.Reader) (*runCall, error) {
	var rr runRequest
	if err := decodeJSON(body, &rr); err != nil {
		return nil, err
	}
	return s.toRunCall(ctx, &rr, nil)
}

// decodeRunMultipart decodes a multipart/form-data upload: the image as the file
// part "image", the other fields as form fields of the same names.
func (s *Server) decodeRunMultipart(r *http.Request) (*runCall, error) {
	if err := r.ParseMultipartForm(s.cfg.BodyLimit); err != nil {
		if _, ok := errorsAs[*http.MaxBytesError](err); ok {
			return nil, err
		}
		return nil, badRequest("the multipart body is not valid: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	var rr runRequest
	for key, vals := range r.MultipartForm.Value {
		if len(vals) != 1 && key != "objects" {
			return nil, badParam(key, "field %q is given %d times", key, len(vals))
		}
		v := vals[0]
		var err error
		switch key {
		case "image":
			rr.Image = v
		case "image_url":
			rr.ImageURL = v
		case "task":
			rr.Task = v
		case "lang":
			rr.Lang = v
		case "question":
			rr.Question = v
		case "objects":
			for _, v := range vals {
				names, err := pgedge.SplitObjects(v)
				if err != nil {
					return nil, badParam("objects", "objects: %v", err)
				}
				rr.Objects = append(rr.Objects, names...)
			}
		case "prompt":
			rr.Prompt = v
		case "prompt_ids":
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				id, err := strconv.Atoi(f)
				if err != nil {
					return nil, badParam(key, "prompt_ids: %q is not a token id", f)
				}
				rr.PromptIDs = append(rr.PromptIDs, id)
			}
		case "max_tokens":
			rr.MaxTokens, err = strconv.Atoi(v)
		case "temperature":
			rr.Temperature, err = strconv.ParseFloat(v, 64)
		case "top_k":
			rr.TopK, err = strconv.Atoi(v)
		case "top_p":
			rr.TopP, err = strconv.ParseFloat(v, 64)
		case "seed":
			rr.Seed, err = strconv.ParseUint(v, 10, 64)
		case "stream":
			rr.Stream, err = strconv.ParseBool(v)
		default:
			return nil, badParam(key, "unknown field %q", key)
		}
		if err != nil {
			return nil, badParam(key, "field %q: %q is not a valid value", key, v)
		}
	}
	var img *pgedge.Image
	for key, files := range r.MultipartForm.File {
		if key != "image" || len(files) != 1 {
			return nil, badParam(key, "the only file part is one \"image\"")
		}
		f, err := files[0].Open()
		if err != nil {
			return nil, badParam("image", "image: %v", err)
		}
		img, err = pgedge.DecodeImage(f)
		f.Close()
		if err != nil {
			return nil, badParam("image", "image: %v", err)
		}
		if name := files[0].Filename; name != "" {
			img = img.Named(name)
		}
	}
	return s.toRunCall(r.Context(), &rr, img)
}

func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	var c *runCall
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		c, err = s.decodeRunMultipart(r)
	} else {
		c, err = s.decodeRun(r.Context(), r.Body)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.check(&c.gen)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !c.stream {
		g, err := s.generate(r, m, &c.gen, nil)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, g.res)
		return
	}
	ev := newEventStream(w)
	g, err := s.generate(r, m, &c.gen, func(text string) error {
		return ev.send("text", marshal(map[string]string{"text": text}))
	})
	if err != nil {
		if !ev.started {
			writeError(w, r, err)
			return
		}
		info(r).err = err.Error()
		ev.send("error", marshal(openAIError(toAPIError(err))))
		return
	}
	ev.send("result", marshal(g.res))
}
