package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/pgedge/pgedge"
)

// TestOpenAISDK drives the server with the official OpenAI Go SDK: model list, a chat
// completion with an image (streamed and not), usage and errors; the answers must be
// the library's for the same greedy request.
func TestOpenAISDK(t *testing.T) {
	ts := start(t, Config{APIKey: "sk-test"})
	client := openai.NewClient(option.WithBaseURL(ts.url+"/v1/"), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	ctx := context.Background()

	models, err := client.Models.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(models.Data) != 1 || models.Data[0].ID != "pg2-tiny" || models.Data[0].OwnedBy != "pgedge" {
		t.Fatalf("models: %+v", models.Data)
	}

	ref := want(t, pgedge.Request{Image: libImage(t), Prompt: "caption en", MaxTokens: 12})
	params := openai.ChatCompletionNewParams{
		Model:     "pg2-tiny",
		MaxTokens: openai.Int(12),
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage("You are a helpful assistant."), // not part of PaliGemma's prompt
			openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
				openai.TextContentPart("caption en"),
				openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{URL: "data:image/png;base64," + imageB64(t)}),
			}),
		},
	}
	res, err := client.Chat.Completions.New(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Choices) != 1 {
		t.Fatalf("choices: %+v", res.Choices)
	}
	ch := res.Choices[0]
	if ch.Message.Content != ref.Text || ch.FinishReason != ref.FinishReason {
		t.Errorf("got %q (%s), the library gives %q (%s)", ch.Message.Content, ch.FinishReason, ref.Text, ref.FinishReason)
	}
	if res.Usage.PromptTokens != int64(ref.PromptTokens) || res.Usage.CompletionTokens != int64(len(ref.Tokens)) ||
		res.Usage.TotalTokens != res.Usage.PromptTokens+res.Usage.CompletionTokens {
		t.Errorf("usage %+v, want prompt %d (image tokens included) and completion %d", res.Usage, ref.PromptTokens, len(ref.Tokens))
	}
	if ref.PromptTokens <= demo(t).Info().ImageTokens {
		t.Errorf("the prompt's %d tokens do not count the %d image tokens", ref.PromptTokens, demo(t).Info().ImageTokens)
	}
	if f, ok := ch.Message.JSON.ExtraFields["objects"]; !ok || !strings.HasPrefix(f.Raw(), "[") {
		t.Errorf("message has no objects array: %s", ch.Message.RawJSON())
	}

	// Streaming, with usage in a last chunk.
	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := client.Chat.Completions.NewStreaming(ctx, params)
	var text strings.Builder
	var finish string
	var usage openai.CompletionUsage
	chunks := 0
	for stream.Next() {
		c := stream.Current()
		chunks++
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
		if c.Usage.TotalTokens > 0 {
			usage = c.Usage
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if text.String() != ref.Text || finish != ref.FinishReason {
		t.Errorf("stream gave %q (%s), the library %q (%s)", text.String(), finish, ref.Text, ref.FinishReason)
	}
	if chunks < 3 {
		t.Errorf("only %d chunks: the text was not streamed", chunks)
	}
	if usage.PromptTokens != int64(ref.PromptTokens) || usage.CompletionTokens != int64(len(ref.Tokens)) {
		t.Errorf("stream usage %+v, want %d + %d", usage, ref.PromptTokens, len(ref.Tokens))
	}

	// A stop string cuts the answer and ends it with finish_reason "stop".
	if len(ref.Text) > 4 {
		stop := ref.Text[2:4]
		p := params
		p.StreamOptions = openai.ChatCompletionStreamOptionsParam{}
		p.Stop = openai.ChatCompletionNewParamsStopUnion{OfString: openai.String(stop)}
		res, err := client.Chat.Completions.New(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if c := res.Choices[0]; c.Message.Content != ref.Text[:strings.Index(ref.Text, stop)] || c.FinishReason != "stop" {
			t.Errorf("stop %q: got %q (%s) from %q", stop, c.Message.Content, c.FinishReason, ref.Text)
		}
	}

	// Errors come back in OpenAI's shape, which the SDK reads.
	bad := params
	bad.StreamOptions = openai.ChatCompletionStreamOptionsParam{}
	bad.MaxTokens = openai.Int(-3)
	_, err = client.Chat.Completions.New(ctx, bad)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Type != "invalid_request_error" || apiErr.Message == "" {
		t.Errorf("max_tokens -3: %v", err)
	}
	noKey := openai.NewClient(option.WithBaseURL(ts.url+"/v1/"), option.WithAPIKey("wrong"), option.WithMaxRetries(0))
	_, err = noKey.Models.List(ctx)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong key: %v", err)
	}
}

// TestChatRules checks the conversation rule on raw requests.
func TestChatRules(t *testing.T) {
	ts := start(t, Config{})
	img := `{"type":"image_url","image_url":"data:image/png;base64,` + imageB64(t) + `"}`
	other := `{"type":"image_url","image_url":{"url":"data:image/png;base64,` + imageB64(t)[:len(imageB64(t))-4] + `AAAA"}}`
	ref := want(t, pgedge.Request{Image: libImage(t), Prompt: "answer en what", MaxTokens: 5})
	for _, tc := range []struct {
		name, messages string
		status         int
		msg            string
	}{
		{"earlier turns and the first image", `[{"role":"user","content":[{"type":"text","text":"caption en"},` + img + `]},
			{"role":"assistant","content":"a cat"},{"role":"user","content":"answer en what"}]`, 200, ""},
		{"the same image again", `[{"role":"user","content":[` + img + `]},{"role":"assistant","content":null},
			{"role":"user","content":[{"type":"text","text":"answer en what"},` + img + `]}]`, 200, ""},
		{"two images", `[{"role":"user","content":[` + img + `]},{"role":"user","content":[{"type":"text","text":"x"},` + other + `]}]`, 400, "one image"},
		{"last is the assistant's", `[{"role":"user","content":"caption en"},{"role":"assistant","content":"a"}]`, 400, "last message"},
		{"no text", `[{"role":"user","content":[` + img + `]}]`, 400, "no text"},
		{"no messages", `[]`, 400, "empty"},
		{"unknown role", `[{"role":"robot","content":"x"}]`, 400, "role"},
		{"audio part", `[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]`, 400, "input_audio"},
		{"remote image", `[{"role":"user","content":[{"type":"text","text":"x"},{"type":"image_url","image_url":{"url":"http://example.com/a.png"}}]}]`, 400, "--allow-remote-images"},
	} {
		status, body, _ := post(t, ts.url+"/v1/chat/completions", `{"model":"m","max_tokens":5,"messages":`+tc.messages+`}`)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, status, tc.status, body)
			continue
		}
		v := mustJSON(t, body)
		if status != 200 {
			e, _ := v["error"].(map[string]any)
			if msg, _ := e["message"].(string); !strings.Contains(msg, tc.msg) || e["type"] != "invalid_request_error" {
				t.Errorf("%s: error %s, want one that says %q", tc.name, body, tc.msg)
			}
			continue
		}
		var res struct {
			Choices []struct {
				Message struct{ Content string }
			}
		}
		json.Unmarshal(body, &res)
		if res.Choices[0].Message.Content != ref.Text {
			t.Errorf("%s: %q, want %q", tc.name, res.Choices[0].Message.Content, ref.Text)
		}
	}
}
