package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/pgedge/pgedge"
)

// ollamaOptions are the model options ollama takes. Those that apply are used; the
// others (hardware and runner settings, penalties pgedge does not implement) are
// accepted at any value and ignored, as ollama itself ignores those a model lacks.
type ollamaOptions struct {
	NumPredict  *int         `json:"num_predict"`
	Temperature *float64     `json:"temperature"`
	Seed        *int64       `json:"seed"`
	TopK        *int         `json:"top_k"`
	TopP        *float64     `json:"top_p"`
	Stop        stringOrList `json:"stop"`

	NumKeep          json.RawMessage `json:"num_keep"`
	MinP             json.RawMessage `json:"min_p"`
	TypicalP         json.RawMessage `json:"typical_p"`
	RepeatLastN      json.RawMessage `json:"repeat_last_n"`
	RepeatPenalty    json.RawMessage `json:"repeat_penalty"`
	PresencePenalty  json.RawMessage `json:"presence_penalty"`
	FrequencyPenalty json.RawMessage `json:"frequency_penalty"`
	PenalizeNewline  json.RawMessage `json:"penalize_newline"`
	Numa             json.RawMessage `json:"numa"`
	NumCtx           json.RawMessage `json:"num_ctx"`
	NumBatch         json.RawMessage `json:"num_batch"`
	NumGPU           json.RawMessage `json:"num_gpu"`
	MainGPU          json.RawMessage `json:"main_gpu"`
	UseMmap          json.RawMessage `json:"use_mmap"`
	UseMlock         json.RawMessage `json:"use_mlock"`
	NumThread        json.RawMessage `json:"num_thread"`
	LowVRAM          json.RawMessage `json:"low_vram"`
	VocabOnly        json.RawMessage `json:"vocab_only"`
	F16KV            json.RawMessage `json:"f16_kv"`
	TFSZ             json.RawMessage `json:"tfs_z"`
	Mirostat         json.RawMessage `json:"mirostat"`
	MirostatTau      json.RawMessage `json:"mirostat_tau"`
	MirostatEta      json.RawMessage `json:"mirostat_eta"`
}

// ollamaGenerateRequest is ollama's POST /api/generate body.
type ollamaGenerateRequest struct {
	Model     string          `json:"model"`
	Prompt    string          `json:"prompt"`
	Suffix    string          `json:"suffix"`
	Images    []string        `json:"images"`
	Format    json.RawMessage `json:"format"`
	Options   *ollamaOptions  `json:"options"`
	System    string          `json:"system"`
	Template  string          `json:"template"`
	Context   []int           `json:"context"`
	Stream    *bool           `json:"stream"`
	Raw       bool            `json:"raw"`
	KeepAlive json.RawMessage `json:"keep_alive"`
	Think     json.RawMessage `json:"think"`
}

type ollamaMessage struct {
	Role      string          `json:"role"`
	Content   string          `json:"content"`
	Images    []string        `json:"images"`
	ToolCalls json.RawMessage `json:"tool_calls"`
	Thinking  string          `json:"thinking"`
	ToolName  string          `json:"tool_name"`
}

// ollamaChatRequest is ollama's POST /api/chat body.
type ollamaChatRequest struct {
	Model     string          `json:"model"`
	Messages  []ollamaMessage `json:"messages"`
	Tools     []any           `json:"tools"`
	Format    json.RawMessage `json:"format"`
	Options   *ollamaOptions  `json:"options"`
	Stream    *bool           `json:"stream"`
	KeepAlive json.RawMessage `json:"keep_alive"`
	Think     json.RawMessage `json:"think"`
}

// ollamaCall is a decoded ollama generate or chat request.
type ollamaCall struct {
	gen    genRequest
	stream bool
	load   bool // an empty prompt: ollama's "load the model" request
}

func (c *ollamaCall) options(o *ollamaOptions, format json.RawMessage) error {
	if f := strings.TrimSpace(string(format)); f != "" && f != "null" && f != `""` {
		return badParam("format", "format is not supported: PaliGemma answers plain text")
	}
	if o == nil {
		return nil
	}
	req := &c.gen.req
	if o.NumPredict != nil {
		// ollama: -1 generates until the end, -2 until the context is full.
		switch n := *o.NumPredict; {
		case n == -1 || n == -2:
			req.MaxTokens = 0
		case n < -2:
			return badParam("num_predict", "options.num_predict must be -1, -2 or positive, got %d", n)
		default:
			req.MaxTokens = n
		}
	}
	if o.Temperature != nil {
		req.Sampling.Temperature = *o.Temperature
	}
	if o.TopP != nil {
		req.Sampling.TopP = *o.TopP
	}
	if o.TopK != nil {
		req.Sampling.TopK = *o.TopK
	}
	if o.Seed != nil {
		req.Sampling.Seed = uint64(*o.Seed)
	}
	if err := checkSampling(req.Sampling.Temperature, req.Sampling.TopP, req.Sampling.TopK); err != nil {
		return err
	}
	var err error
	c.gen.stops, err = stops("stop", o.Stop)
	return err
}

// decodeOllamaImages decodes the images of a request: PaliGemma takes one (the same
// one may repeat).
func decodeOllamaImages(images []string) (*pgedge.Image, error) {
	if len(images) == 0 {
		return nil, nil
	}
	for _, im := range images[1:] {
		if im != images[0] {
			return nil, badParam("images", "%d different images given; PaliGemma takes one image per request", countDistinct(images))
		}
	}
	return decodeBase64Image("images[0]", images[0])
}

func decodeOllamaGenerate(body io.Reader) (*ollamaCall, error) {
	var gr ollamaGenerateRequest
	if err := decodeJSON(body, &gr); err != nil {
		return nil, err
	}
	c := &ollamaCall{stream: gr.Stream == nil || *gr.Stream}
	if gr.Suffix != "" {
		return nil, badParam("suffix", "suffix is not supported: PaliGemma does not fill in the middle")
	}
	if err := c.options(gr.Options, gr.Format); err != nil {
		return nil, err
	}
	img, err := decodeOllamaImages(gr.Images)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(gr.Prompt) == "" {
		if img != nil {
			return nil, badParam("prompt", "the prompt is empty: PaliGemma needs one, such as \"caption en\"")
		}
		c.load = true
		return c, nil
	}
	c.gen.req.Prompt, c.gen.req.Image = gr.Prompt, img
	return c, nil
}

func decodeOllamaChat(body io.Reader) (*ollamaCall, error) {
	var cr ollamaChatRequest
	if err := decodeJSON(body, &cr); err != nil {
		return nil, err
	}
	c := &ollamaCall{stream: cr.Stream == nil || *cr.Stream}
	if len(cr.Tools) > 0 {
		return nil, badParam("tools", "tools are not supported: PaliGemma does not call functions")
	}
	if err := c.options(cr.Options, cr.Format); err != nil {
		return nil, err
	}
	if len(cr.Messages) == 0 {
		c.load = true
		return c, nil
	}
	var images []string
	for i, m := range cr.Messages {
		switch m.Role {
		case "system", "user", "assistant", "tool":
		default:
			return nil, badParam("messages", "messages[%d] has an unknown role %q", i, m.Role)
		}
		if m.Role == "user" || m.Role == "system" {
			images = append(images, m.Images...)
		} else if len(m.Images) > 0 {
			return nil, badParam("messages", "messages[%d] (%s) holds images; only user messages may", i, m.Role)
		}
	}
	last := cr.Messages[len(cr.Messages)-1]
	if last.Role != "user" {
		return nil, badParam("messages", "the last message must be the user's (PaliGemma answers the last user message; it has no chat template), got %q", last.Role)
	}
	if strings.TrimSpace(last.Content) == "" {
		return nil, badParam("messages", "the last user message has no text: PaliGemma needs a prompt such as \"caption en\" or \"detect cat\"")
	}
	img, err := decodeOllamaImages(images)
	if err != nil {
		return nil, err
	}
	c.gen.req.Prompt, c.gen.req.Image = last.Content, img
	return c, nil
}

func (s *Server) handleOllamaGenerate(w http.ResponseWriter, r *http.Request) {
	c, err := decodeOllamaGenerate(r.Body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.ollamaRespond(w, r, c, false)
}

func (s *Server) handleOllamaChat(w http.ResponseWriter, r *http.Request) {
	c, err := decodeOllamaChat(r.Body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.ollamaRespond(w, r, c, true)
}

// ollamaRespond runs a call and answers as ollama does: NDJSON lines, the last one with
// "done": true and the counts and durations (nanoseconds).
func (s *Server) ollamaRespond(w http.ResponseWriter, r *http.Request, c *ollamaCall, chat bool) {
	m, _, name := s.loaded()
	if m == nil {
		writeError(w, r, errNotLoaded)
		return
	}
	start := info(r).start
	line := func(text string) map[string]any {
		l := map[string]any{"model": name, "created_at": time.Now().UTC().Format(time.RFC3339Nano), "done": false}
		if chat {
			l["message"] = map[string]any{"role": "assistant", "content": text}
		} else {
			l["response"] = text
		}
		return l
	}
	if c.load {
		l := line("")
		l["done"], l["done_reason"] = true, "load"
		writeJSON(w, http.StatusOK, l)
		return
	}
	if _, err := s.check(&c.gen); err != nil {
		writeError(w, r, err)
		return
	}
	final := func(g *genResult, text string) map[string]any {
		l := line(text)
		tm := g.res.Timings
		l["done"], l["done_reason"] = true, g.finish
		l["total_duration"] = time.Since(start).Nanoseconds()
		l["load_duration"] = 0
		l["prompt_eval_count"] = g.res.PromptTokens
		l["prompt_eval_duration"] = int64(tm.PrefillMS * 1e6)
		l["eval_count"] = len(g.res.Tokens)
		l["eval_duration"] = g.evalTime.Nanoseconds()
		if chat {
			l["message"].(map[string]any)["objects"] = g.res.Objects
		} else {
			l["objects"] = g.res.Objects
		}
		return l
	}
	if !c.stream {
		g, err := s.generate(r, m, &c.gen, nil)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, final(g, g.text))
		return
	}
	nd := &ndjson{w: w, rc: http.NewResponseController(w)}
	g, err := s.generate(r, m, &c.gen, func(text string) error { return nd.send(line(text)) })
	if err != nil {
		if !nd.started {
			writeError(w, r, err)
			return
		}
		info(r).err = err.Error()
		nd.send(map[string]any{"error": toAPIError(err).msg})
		return
	}
	nd.send(final(g, ""))
}

// ndjson writes newline-delimited JSON, each line flushed at once.
type ndjson struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
	err     error
}

func (n *ndjson) send(v any) error {
	if n.err != nil {
		return n.err
	}
	if !n.started {
		n.w.Header().Set("Content-Type", "application/x-ndjson")
		n.w.WriteHeader(http.StatusOK)
		n.started = true
	}
	n.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	b := append(marshal(v), '\n')
	if _, n.err = n.w.Write(b); n.err == nil {
		n.err = n.rc.Flush()
	}
	return n.err
}

// ollamaDetails describes the model as ollama's "details".
func ollamaDetails(inf pgedge.Info) map[string]any {
	return map[string]any{"parent_model": "", "format": "pge", "family": "paligemma",
		"families": []string{"paligemma", "siglip"}, "parameter_size": "", "quantization_level": strings.ToUpper(inf.Weights)}
}

// ollamaModel is the model as /api/tags and /api/ps list it.
func (s *Server) ollamaModel(inf pgedge.Info, name string) map[string]any {
	var size int64
	modified := s.started
	if st, err := os.Stat(inf.Path); err == nil {
		size, modified = st.Size(), st.ModTime()
		if st.IsDir() {
			size = 0
		}
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s %d %d", inf.Path, size, modified.UnixNano())))
	return map[string]any{"name": name, "model": name, "modified_at": modified.UTC().Format(time.RFC3339Nano),
		"size": size, "digest": hex.EncodeToString(sum[:]), "details": ollamaDetails(inf)}
}

func (s *Server) handleOllamaTags(w http.ResponseWriter, r *http.Request) {
	m, inf, name := s.loaded()
	if m == nil {
		writeJSON(w, http.StatusOK, map[string]any{"models": []any{}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": []any{s.ollamaModel(inf, name)}})
}

func (s *Server) handleOllamaPS(w http.ResponseWriter, r *http.Request) {
	m, inf, name := s.loaded()
	if m == nil {
		writeJSON(w, http.StatusOK, map[string]any{"models": []any{}})
		return
	}
	o := s.ollamaModel(inf, name)
	o["expires_at"] = "9999-12-31T23:59:59Z" // loaded for the server's lifetime
	o["size_vram"] = 0
	o["context_length"] = inf.Context
	delete(o, "modified_at")
	writeJSON(w, http.StatusOK, map[string]any{"models": []any{o}})
}

func (s *Server) handleOllamaShow(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model   string `json:"model"`
		Name    string `json:"name"`
		Verbose bool   `json:"verbose"`
	}
	if err := decodeJSON(r.Body, &req); err != nil {
		writeError(w, r, err)
		return
	}
	m, inf, _ := s.loaded()
	if m == nil {
		writeError(w, r, errNotLoaded)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"modelfile":  "",
		"parameters": "",
		"template":   "{{ .Prompt }}",
		"details":    ollamaDetails(inf),
		"model_info": map[string]any{
			"general.architecture":     "paligemma",
			"general.preset":           inf.Preset,
			"general.family":           inf.Family,
			"paligemma.context_length": inf.Context,
			"paligemma.image_size":     inf.ImageSize,
			"paligemma.image_tokens":   inf.ImageTokens,
			"paligemma.vocab_size":     inf.VocabSize,
			"paligemma.weights":        inf.Weights,
		},
		"capabilities": []string{"completion", "vision"},
		"modified_at":  s.started.UTC().Format(time.RFC3339Nano),
	})
}

func (s *Server) handleOllamaVersion(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"version": s.cfg.Version})
}
