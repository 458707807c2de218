package pgedge

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/task"
)

// Task is a PaliGemma task prompt.
type Task string

// The tasks PaliGemma was trained on.
const (
	Caption  Task = "caption"  // a short caption ("caption en")
	Cap      Task = "cap"      // a shorter caption
	Describe Task = "describe" // a longer description
	OCR      Task = "ocr"      // the text in the image
	Answer   Task = "answer"   // answers Question
	Question Task = "question" // asks a question whose answer is Question
	Detect   Task = "detect"   // boxes around Objects
	Segment  Task = "segment"  // boxes and masks of Objects
)

// Tasks lists every Task.
var Tasks = []Task{Caption, Cap, Describe, OCR, Answer, Question, Detect, Segment}

// Default generation lengths when Request.MaxTokens is 0.
const (
	DefaultMaxTokens       = 64
	DefaultMaxTokensObject = 256 // detect and segment: ~6 tokens per box, ~22 per mask
)

// Request is one generation. Give the prompt as exactly one of Task (with its fields),
// Prompt or PromptIDs; give the image as Image or Encoded, or neither for a text-only
// prompt.
type Request struct {
	// Image is the picture the prompt is about (LoadImage, DecodeImage, ImageFrom).
	Image *Image
	// Encoded is an image already run through the vision tower by EncodeImage, used
	// instead of Image.
	Encoded *EncodedImage

	// Task builds PaliGemma's prompt for a task: "caption en", "detect cat ; dog", ...
	Task Task
	// Lang is the answer's language for Caption, Cap, Describe, Answer and Question
	// (default "en").
	Lang string
	// Question is the question for Answer, or the answer to ask about for Question.
	Question string
	// Objects are the things to find for Detect and Segment.
	Objects []string

	// Prompt is free prompt text, e.g. "caption en". It is laid out as PaliGemma was
	// trained: image tokens, <bos>, the prompt, "\n" (a trailing newline is dropped,
	// not doubled).
	Prompt string
	// PromptIDs are token ids placed after the image tokens exactly as given (no <bos>
	// or separator added): for models without a tokenizer, and for debugging.
	PromptIDs []int

	// MaxTokens bounds the generated tokens (0: DefaultMaxTokens, or
	// DefaultMaxTokensObject for Detect and Segment).
	MaxTokens int
	// Sampling chooses the tokens; the zero value is greedy, PaliGemma's default.
	Sampling Sampling

	// Stream, when set, receives the text as it is generated, piece by piece (the
	// pieces joined are Result.Text). Returning ErrStop ends generation early with
	// the result so far; any other error ends it and Generate returns that error.
	Stream func(text string) error
}

// Sampling chooses each token from the model's prediction.
type Sampling struct {
	Temperature float64 // 0: greedy
	TopK        int     // sample among the k most likely tokens (0: all)
	TopP        float64 // sample within this cumulative probability (0 or 1: all)
	Seed        uint64  // the same seed and request give the same tokens
}

func (s Sampling) inferOptions() infer.SamplerOptions {
	return infer.SamplerOptions{Temperature: s.Temperature, TopK: s.TopK, TopP: s.TopP, Seed: s.Seed}
}

// badRequest formats an ErrBadRequest.
func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// PromptText is the text prompt a request's task builds (without <bos> and "\n"), or
// its Prompt; "" for PromptIDs. It checks the task's fields.
func (r *Request) PromptText() (string, error) {
	n := 0
	for _, set := range []bool{r.Task != "", r.Prompt != "", r.PromptIDs != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "", badRequest("give exactly one of Task, Prompt and PromptIDs")
	}
	name := Task(strings.ToLower(strings.TrimSpace(string(r.Task))))
	if r.Task == "" {
		for _, f := range []struct {
			set  bool
			name string
		}{{r.Lang != "", "Lang"}, {r.Question != "", "Question"}, {len(r.Objects) > 0, "Objects"}} {
			if f.set {
				return "", badRequest("%s goes with a Task", f.name)
			}
		}
	}
	switch {
	case r.PromptIDs != nil:
		if len(r.PromptIDs) == 0 {
			return "", badRequest("PromptIDs is empty")
		}
		return "", nil
	case r.Prompt != "":
		p := strings.TrimRight(r.Prompt, "\r\n")
		if strings.TrimSpace(p) == "" {
			return "", badRequest("the prompt is blank")
		}
		return p, nil
	}
	if !slices.Contains(Tasks, name) {
		return "", badRequest("%q is not a task (want one of %s)", r.Task, taskList())
	}
	if r.Lang != "" && !slices.Contains([]Task{Caption, Cap, Describe, Answer, Question}, name) {
		return "", badRequest("a language does not apply to task %s", name)
	}
	if r.Question != "" && name != Answer && name != Question {
		return "", badRequest("a question does not apply to task %s", name)
	}
	if len(r.Objects) > 0 && name != Detect && name != Segment {
		return "", badRequest("objects do not apply to task %s", name)
	}
	switch {
	case name == Answer && strings.TrimSpace(r.Question) == "":
		return "", badRequest("task answer needs a question")
	case name == Question && strings.TrimSpace(r.Question) == "":
		return "", badRequest("task question needs the answer to ask about (Question)")
	case (name == Detect || name == Segment) && len(r.Objects) == 0:
		return "", badRequest("task %s needs objects, e.g. [\"cat\", \"dog\"]", name)
	}
	objects := make([]string, len(r.Objects))
	for i, o := range r.Objects {
		if objects[i] = strings.TrimSpace(o); objects[i] == "" {
			return "", badRequest("object %d has an empty name", i)
		}
	}
	p, err := task.Prompt(string(name), r.Lang, r.Question, objects)
	if err != nil {
		msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "task: "), string(name)+": ")
		return "", badRequest("task %s: %s", name, msg)
	}
	return p, nil
}

func taskList() string {
	s := make([]string, len(Tasks))
	for i, t := range Tasks {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// SplitObjects splits a list of object names as the command line takes it,
// "cat ; dog", into its names.
func SplitObjects(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, badRequest("no object names given (e.g. \"cat ; dog\")")
	}
	var out []string
	for _, obj := range strings.Split(s, ";") {
		if obj = strings.TrimSpace(obj); obj == "" {
			return nil, badRequest("%q has an empty name (separate objects with \" ; \")", s)
		}
		out = append(out, obj)
	}
	return out, nil
}

// maxTokens is the request's limit, with the task's default.
func (r *Request) maxTokens() (int, error) {
	switch {
	case r.MaxTokens < 0:
		return 0, badRequest("MaxTokens must not be negative, got %d", r.MaxTokens)
	case r.MaxTokens > 0:
		return r.MaxTokens, nil
	}
	if t := Task(strings.ToLower(strings.TrimSpace(string(r.Task)))); t == Detect || t == Segment {
		return DefaultMaxTokensObject, nil
	}
	return DefaultMaxTokens, nil
}
