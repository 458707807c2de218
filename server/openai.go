package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// chatRequest is an OpenAI chat completion request. Fields PaliGemma cannot honour are
// accepted only at their neutral values; other unknown fields are refused.
type chatRequest struct {
	Model               string          `json:"model"`
	Messages            []chatMessage   `json:"messages"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Temperature         *float64        `json:"temperature"`
	TopP                *float64        `json:"top_p"`
	Seed                *int64          `json:"seed"`
	Stop                stringOrList    `json:"stop"`
	Stream              bool            `json:"stream"`
	StreamOptions       *streamOptions  `json:"stream_options"`
	N                   *int            `json:"n"`
	FrequencyPenalty    *float64        `json:"frequency_penalty"`
	PresencePenalty     *float64        `json:"presence_penalty"`
	Logprobs            *bool           `json:"logprobs"`
	TopLogprobs         *int            `json:"top_logprobs"`
	ResponseFormat      *responseFormat `json:"response_format"`
	Tools               []any           `json:"tools"`
	ToolChoice          json.RawMessage `json:"tool_choice"`
	ParallelToolCalls   *bool           `json:"parallel_tool_calls"`
	LogitBias           map[string]any  `json:"logit_bias"`
	// Accepted and ignored: they do not change an answer.
	User             string          `json:"user"`
	Store            *bool           `json:"store"`
	Metadata         json.RawMessage `json:"metadata"`
	ServiceTier      string          `json:"service_tier"`
	PromptCacheKey   string          `json:"prompt_cache_key"`
	SafetyIdentifier string          `json:"safety_identifier"`
}

type streamOptions struct {
	IncludeUsage       bool  `json:"include_usage"`
	IncludeObfuscation *bool `json:"include_obfuscation"` // accepted; no obfuscation is added
}

type responseFormat struct {
	Type       string          `json:"type"`
	JSONSchema json.RawMessage `json:"json_schema"`
}

type chatMessage struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	Name       string          `json:"name"`
	ToolCalls  json.RawMessage `json:"tool_calls"`
	ToolCallID string          `json:"tool_call_id"`
	Refusal    json.RawMessage `json:"refusal"`
}

type contentPart struct {
	Type     string          `json:"type"`
	Text     *string         `json:"text"`
	ImageURL json.RawMessage `json:"image_url"`
}

type imageURLObject struct {
	URL    string `json:"url"`
	Detail string `json:"detail"`
}

// chatCall is a decoded chat completion request.
type chatCall struct {
	gen          genRequest
	stream       bool
	includeUsage bool
}

// decodeChat decodes and checks an OpenAI chat request (images included; remote ones
// are fetched with ctx).
func (s *Server) decodeChat(ctx context.Context, body io.Reader) (*chatCall, error) {
	var cr chatRequest
	if err := decodeJSON(body, &cr); err != nil {
		return nil, err
	}
	c := &chatCall{stream: cr.Stream}
	if cr.StreamOptions != nil {
		if !cr.Stream {
			return nil, badParam("stream_options", "stream_options goes with \"stream\": true")
		}
		c.includeUsage = cr.StreamOptions.IncludeUsage
	}
	switch {
	case cr.N != nil && *cr.N != 1:
		return nil, badParam("n", "n must be 1: this server gives one choice")
	case cr.FrequencyPenalty != nil && *cr.FrequencyPenalty != 0, cr.PresencePenalty != nil && *cr.PresencePenalty != 0:
		return nil, badRequest("frequency_penalty and presence_penalty are not supported (leave them 0)")
	case cr.Logprobs != nil && *cr.Logprobs, cr.TopLogprobs != nil && *cr.TopLogprobs != 0:
		return nil, badParam("logprobs", "logprobs are not supported")
	case cr.ResponseFormat != nil && cr.ResponseFormat.Type != "" && cr.ResponseFormat.Type != "text":
		return nil, badParam("response_format", "response_format %q is not supported: PaliGemma answers plain text", cr.ResponseFormat.Type)
	case len(cr.Tools) > 0:
		return nil, badParam("tools", "tools are not supported: PaliGemma does not call functions")
	case len(cr.LogitBias) > 0:
		return nil, badParam("logit_bias", "logit_bias is not supported")
	}
	if tc := strings.TrimSpace(string(cr.ToolChoice)); tc != "" && tc != "null" && tc != `"none"` && tc != `"auto"` {
		return nil, badParam("tool_choice", "tool_choice is not supported: PaliGemma does not call functions")
	}
	req := &c.gen.req
	switch {
	case cr.MaxCompletionTokens != nil:
		req.MaxTokens = *cr.MaxCompletionTokens
		if req.MaxTokens < 1 {
			return nil, badParam("max_completion_tokens", "max_completion_tokens must be at least 1, got %d", req.MaxTokens)
		}
	case cr.MaxTokens != nil:
		req.MaxTokens = *cr.MaxTokens
		if req.MaxTokens < 1 {
			return nil, badParam("max_tokens", "max_tokens must be at least 1, got %d", req.MaxTokens)
		}
	}
	if cr.Temperature != nil {
		req.Sampling.Temperature = *cr.Temperature
		if *cr.Temperature > 2 {
			return nil, badParam("temperature", "temperature must be in [0, 2], got %g", *cr.Temperature)
		}
	}
	if cr.TopP != nil {
		req.Sampling.TopP = *cr.TopP
	}
	if cr.Seed != nil {
		req.Sampling.Seed = uint64(*cr.Seed)
	}
	if err := checkSampling(req.Sampling.Temperature, req.Sampling.TopP, 0); err != nil {
		return nil, err
	}
	if len(cr.Stop) > 4 {
		return nil, badParam("stop", "stop takes at most 4 strings, got %d", len(cr.Stop))
	}
	var err error
	if c.gen.stops, err = stops("stop", cr.Stop); err != nil {
		return nil, err
	}

	prompt, image, err := chatPrompt(cr.Messages)
	if err != nil {
		return nil, err
	}
	req.Prompt = prompt
	if image != "" {
		if req.Image, err = s.imageURL(ctx, "image_url", image); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// chatPrompt applies the conversation rule: PaliGemma has no chat template, so the
// prompt is the text of the last message, which must be the user's, and the image is
// the first one in the conversation (the same image may appear again; a different
// one is refused). System, developer, assistant and tool messages are not part of
// the prompt.
func chatPrompt(msgs []chatMessage) (prompt, image string, err error) {
	if len(msgs) == 0 {
		return "", "", badParam("messages", "messages is empty: send at least one user message")
	}
	var images []string
	for i, m := range msgs {
		switch m.Role {
		case "system", "developer", "user", "assistant", "tool", "function":
		case "":
			return "", "", badParam("messages", "messages[%d] has no role", i)
		default:
			return "", "", badParam("messages", "messages[%d] has an unknown role %q", i, m.Role)
		}
		text, imgs, err := messageContent(i, m.Content)
		if err != nil {
			return "", "", err
		}
		if m.Role == "user" || m.Role == "system" || m.Role == "developer" {
			images = append(images, imgs...)
		} else if len(imgs) > 0 {
			return "", "", badParam("messages", "messages[%d] (%s) holds an image; only user messages may", i, m.Role)
		}
		if i == len(msgs)-1 {
			if m.Role != "user" {
				return "", "", badParam("messages", "the last message must be the user's (PaliGemma answers the last user message; it has no chat template), got %q", m.Role)
			}
			prompt = text
		}
	}
	if strings.TrimSpace(prompt) == "" {
		return "", "", badParam("messages", "the last user message has no text: PaliGemma needs a prompt such as \"caption en\" or \"detect cat\"")
	}
	for _, im := range images[min(1, len(images)):] {
		if im != images[0] {
			return "", "", badParam("messages", "the conversation holds %d different images; PaliGemma takes one image per request", countDistinct(images))
		}
	}
	if len(images) > 0 {
		image = images[0]
	}
	return prompt, image, nil
}

func countDistinct(list []string) int {
	seen := map[string]bool{}
	for _, s := range list {
		seen[s] = true
	}
	return len(seen)
}

// messageContent is a message's text (its text parts joined by "\n") and image URLs.
func messageContent(i int, raw json.RawMessage) (string, []string, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return "", nil, nil
	}
	if s[0] == '"' {
		var text string
		if err := json.Unmarshal(raw, &text); err != nil {
			return "", nil, badParam("messages", "messages[%d].content is not a valid string", i)
		}
		return text, nil, nil
	}
	if s[0] != '[' {
		return "", nil, badParam("messages", "messages[%d].content must be a string or an array of parts", i)
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", nil, badParam("messages", "messages[%d].content is not a valid array", i)
	}
	var texts, images []string
	for j, pr := range parts {
		var p contentPart
		if err := decodeJSON(strings.NewReader(string(pr)), &p); err != nil {
			return "", nil, badParam("messages", "messages[%d].content[%d]: %v", i, j, err)
		}
		switch p.Type {
		case "text":
			if p.Text == nil {
				return "", nil, badParam("messages", "messages[%d].content[%d] is a text part without text", i, j)
			}
			texts = append(texts, *p.Text)
		case "image_url":
			u, err := imageURLField(p.ImageURL)
			if err != nil {
				return "", nil, badParam("messages", "messages[%d].content[%d].image_url: %v", i, j, err)
			}
			images = append(images, u)
		default:
			return "", nil, badParam("messages", "messages[%d].content[%d] has type %q; this server takes \"text\" and \"image_url\" parts", i, j, p.Type)
		}
	}
	return strings.Join(texts, "\n"), images, nil
}

// imageURLField reads image_url as {"url": ...} or as a bare string.
func imageURLField(raw json.RawMessage) (string, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "" || s == "null":
		return "", fmt.Errorf("missing")
	case s[0] == '"':
		var u string
		if err := json.Unmarshal(raw, &u); err != nil {
			return "", fmt.Errorf("not a valid string")
		}
		if u == "" {
			return "", fmt.Errorf("empty")
		}
		return u, nil
	}
	var o imageURLObject
	if err := decodeJSON(strings.NewReader(s), &o); err != nil {
		return "", err
	}
	if o.URL == "" {
		return "", fmt.Errorf("url is empty")
	}
	return o.URL, nil
}

func (s *Server) handleChatCompletions(w http.ResponseWriter, r *http.Request) {
	c, err := s.decodeChat(r.Context(), r.Body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.check(&c.gen)
	if err != nil {
		writeError(w, r, err)
		return
	}
	_, _, name := s.loaded()
	rec := info(r)
	id := "chatcmpl-" + rec.id
	created := time.Now().Unix()
	if !c.stream {
		g, err := s.generate(r, m, &c.gen, nil)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": id, "object": "chat.completion", "created": created, "model": name,
			"choices": []any{map[string]any{
				"index":         0,
				"message":       map[string]any{"role": "assistant", "content": g.text, "refusal": nil, "objects": g.res.Objects},
				"logprobs":      nil,
				"finish_reason": g.finish,
			}},
			"usage": usage(g),
		})
		return
	}

	ev := newEventStream(w)
	chunk := func(delta map[string]any, finish any) []byte {
		ch := map[string]any{"id": id, "object": "chat.completion.chunk", "created": created, "model": name,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}}}
		if c.includeUsage {
			ch["usage"] = nil
		}
		return marshal(ch)
	}
	start := func() error {
		return ev.send("", chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	}
	g, err := s.generate(r, m, &c.gen, func(text string) error {
		if !ev.started {
			if err := start(); err != nil {
				return err
			}
		}
		return ev.send("", chunk(map[string]any{"content": text}, nil))
	})
	if err != nil {
		if !ev.started {
			writeError(w, r, err)
			return
		}
		info(r).err = err.Error()
		ev.send("", marshal(openAIError(toAPIError(err))))
		return
	}
	if !ev.started {
		if start() != nil {
			return
		}
	}
	ev.send("", chunk(map[string]any{"objects": g.res.Objects}, g.finish))
	if c.includeUsage {
		ev.send("", marshal(map[string]any{"id": id, "object": "chat.completion.chunk", "created": created, "model": name,
			"choices": []any{}, "usage": usage(g)}))
	}
	ev.send("", []byte("[DONE]"))
}

func usage(g *genResult) map[string]any {
	p, c := g.res.PromptTokens, len(g.res.Tokens)
	return map[string]any{"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
}

func (s *Server) modelObject() map[string]any {
	_, _, name := s.loaded()
	return map[string]any{"id": name, "object": "model", "created": s.started.Unix(), "owned_by": "pgedge",
		"input_modalities": []string{"text", "image"}, "output_modalities": []string{"text"}}
}

func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	if m, _, _ := s.loaded(); m == nil {
		writeError(w, r, errNotLoaded)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": []any{s.modelObject()}})
}

func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	m, _, name := s.loaded()
	if m == nil {
		writeError(w, r, errNotLoaded)
		return
	}
	if r.PathValue("id") != name {
		writeError(w, r, &apiError{status: http.StatusNotFound, code: "model_not_found",
			msg: fmt.Sprintf("model %q does not exist; this server serves %q", r.PathValue("id"), name)})
		return
	}
	writeJSON(w, http.StatusOK, s.modelObject())
}

// eventStream writes Server-Sent Events, each flushed at once, each write bounded so a
// client that stops reading cannot hold a slot for ever.
type eventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
	err     error
}

func newEventStream(w http.ResponseWriter) *eventStream {
	return &eventStream{w: w, rc: http.NewResponseController(w)}
}

const writeTimeout = 30 * time.Second

func (e *eventStream) send(event string, data []byte) error {
	if e.err != nil {
		return e.err
	}
	if !e.started {
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Accel-Buffering", "no")
		e.w.WriteHeader(http.StatusOK)
		e.started = true
	}
	e.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	var b []byte
	if event != "" {
		b = append(b, "event: "...)
		b = append(b, event...)
		b = append(b, '\n')
	}
	b = append(b, "data: "...)
	b = append(b, data...)
	b = append(b, "\n\n"...)
	if _, e.err = e.w.Write(b); e.err == nil {
		e.err = e.rc.Flush()
	}
	return e.err
}
