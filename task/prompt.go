// Package task builds PaliGemma task prompts and turns generated detection and
// segmentation text into objects, pixel boxes and masks, as big_vision's PaliGemma
// evaluators do (boxes are <loc> bins y_min, x_min, y_max, x_max of 1024 over the image;
// masks are 16 <seg> codes a VQ-VAE decodes to 64×64 logits pasted into the box), with
// COCO RLE output and a drawing helper.
package task

import (
	"errors"
	"fmt"
	"strings"
)

// Tasks lists the prompt keywords Prompt accepts (spec §4).
var Tasks = []string{"caption", "cap", "describe", "ocr", "answer", "question", "detect", "segment"}

// DefaultLang is used when Prompt gets an empty language code.
const DefaultLang = "en"

// Prompt returns the text prefix of a PaliGemma task (spec §4, DOCS-PROMPT):
//
//	caption|cap|describe  "<task> <lang>"
//	ocr                   "ocr"
//	answer                "answer <lang> <question>"
//	question              "question <lang> <answer>" (question holds the answer text)
//	detect|segment        "<task> <obj> ; <obj> ..."
//
// The result has no trailing "\n": the caller appends the separator as its own token (id
// 108), because tokenising it with the prompt can merge newlines (spec §9 item 4). An
// empty lang means DefaultLang. Objects are trimmed; an empty object or one containing
// ';' or a newline would break the " ; " grammar and is an error.
func Prompt(task, lang, question string, objects []string) (string, error) {
	task = strings.ToLower(strings.TrimSpace(task))
	lang = strings.TrimSpace(lang)
	if lang == "" {
		lang = DefaultLang
	}
	if strings.ContainsAny(lang, " \t\r\n") {
		return "", fmt.Errorf("task: language code %q contains whitespace", lang)
	}
	question = strings.TrimSpace(question)
	switch task {
	case "caption", "cap", "describe":
		return task + " " + lang, nil
	case "ocr":
		return "ocr", nil
	case "answer", "question":
		if question == "" {
			if task == "answer" {
				return "", errors.New("task: answer needs a question")
			}
			return "", errors.New("task: question needs the answer text (question argument)")
		}
		if strings.ContainsAny(question, "\r\n") {
			return "", fmt.Errorf("task: %s text must be one line, got %q", task, question)
		}
		return task + " " + lang + " " + question, nil
	case "detect", "segment":
		if len(objects) == 0 {
			return "", fmt.Errorf("task: %s needs at least one object", task)
		}
		objs := make([]string, len(objects))
		for i, o := range objects {
			o = strings.TrimSpace(o)
			if o == "" {
				return "", fmt.Errorf("task: %s: object %d is empty", task, i)
			}
			if strings.ContainsAny(o, ";\r\n") {
				return "", fmt.Errorf("task: %s: object %q contains ';' or a newline", task, o)
			}
			objs[i] = o
		}
		return task + " " + strings.Join(objs, " ; "), nil
	case "":
		return "", errors.New("task: empty task name")
	}
	return "", fmt.Errorf("task: unknown task %q (want one of %s)", task, strings.Join(Tasks, ", "))
}
