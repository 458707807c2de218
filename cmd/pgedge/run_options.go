package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/task"
	"github.com/urfave/cli/v2"
)

// pathList is a repeatable flag value that keeps every value whole: cli's
// StringSliceFlag would split "a,b.jpg" at the comma, and file names may hold commas.
type pathList struct{ paths []string }

// serializedPaths marks the form Serialize writes. cli copies a flag's value to its
// aliases (--image to -i) through Serialize and Set, which must then replace the
// list rather than append to it.
const serializedPaths = "\x00pathlist:"

func (p *pathList) Set(v string) error {
	if rest, ok := strings.CutPrefix(v, serializedPaths); ok {
		var paths []string
		if err := json.Unmarshal([]byte(rest), &paths); err != nil {
			return err
		}
		p.paths = paths
		return nil
	}
	if v == "" {
		return errors.New("empty path")
	}
	p.paths = append(p.paths, v)
	return nil
}

// Serialize implements cli.Serializer.
func (p *pathList) Serialize() string {
	b, _ := json.Marshal(p.paths)
	return serializedPaths + string(b)
}

func (p *pathList) String() string {
	if p == nil {
		return ""
	}
	return strings.Join(p.paths, ", ")
}

// imageJob is one image of the run.
type imageJob struct {
	path  string
	index int    // position in the whole list, before sharding
	draw  string // where to write its drawing, "" for none
}

// runOptions are the validated flags of `pgedge run`.
type runOptions struct {
	req        pgedge.Request // the prompt and generation flags; the image is set per job
	images     []imageJob
	batch      bool   // JSON lines, one per image; failures do not stop the run
	batchSize  int    // --batch: images generated at once
	format     string // "text", "json" or "coco"
	out        string // output file; "" for stdout
	vqvae      string // --vqvae path
	categories map[string]int
	shard      string // "i/n" as given, for messages
}

// Task flags that apply only to some tasks.
var (
	langTasks     = []string{"caption", "cap", "describe", "answer", "question"}
	questionTasks = []string{"answer", "question"}
	objectTasks   = []string{"detect", "segment"}
)

// parseRunOptions checks every flag before anything is loaded, so a bad combination
// costs nothing and gives one clear error.
func parseRunOptions(c *cli.Context) (*runOptions, error) {
	if c.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags take the form --name value; did you mean --prompt?)", c.Args().First())
	}
	if c.String("model") == "" {
		return nil, errors.New("give --model (a .pge file or a Hugging Face PaliGemma directory) or set PGEDGE_MODEL")
	}
	o := &runOptions{}

	// The prompt.
	n := 0
	for _, f := range []string{"task", "prompt", "prompt-ids"} {
		if c.String(f) != "" {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("give exactly one of --task, --prompt and --prompt-ids")
	}
	if err := o.parseTask(c); err != nil {
		return nil, err
	}
	if s := c.String("prompt"); s != "" {
		o.req.Prompt = s
		if strings.TrimSpace(s) == "" {
			return nil, errors.New("--prompt is blank")
		}
	}
	if s := c.String("prompt-ids"); s != "" {
		var err error
		if o.req.PromptIDs, err = parseIDs(s); err != nil {
			return nil, err
		}
	}

	// Generation.
	o.req.MaxTokens = c.Int("max-tokens")
	o.req.Sampling = pgedge.Sampling{Temperature: c.Float64("temperature"), TopK: c.Int("top-k"),
		TopP: c.Float64("top-p"), Seed: c.Uint64("seed")}
	if c.IsSet("max-tokens") && o.req.MaxTokens <= 0 {
		return nil, fmt.Errorf("--max-tokens must be positive, got %d", o.req.MaxTokens)
	}
	if err := (infer.SamplerOptions{Temperature: o.req.Sampling.Temperature, TopK: o.req.Sampling.TopK, TopP: o.req.Sampling.TopP}).Validate(); err != nil {
		return nil, fmt.Errorf("--%s", err) // "temperature must be ≥ 0, got -1" and the like
	}
	if c.Int("threads") < 0 {
		return nil, fmt.Errorf("--threads must not be negative, got %d", c.Int("threads"))
	}

	// Images.
	var paths []string
	if p, ok := c.Generic("image").(*pathList); ok && p != nil {
		paths = append(paths, p.paths...)
	}
	if c.IsSet("images-from") && c.String("images-from") == "" {
		return nil, errors.New("--images-from needs a file name (or - for the standard input)")
	}
	if list := c.String("images-from"); list != "" {
		more, err := readImageListFile(list)
		if err != nil {
			return nil, err
		}
		if len(more) == 0 {
			return nil, fmt.Errorf("--images-from %s: no image paths in it (blank lines and # comments are skipped)", list)
		}
		paths = append(paths, more...)
	}
	o.batch = len(paths) > 1 || c.String("images-from") != "" || c.String("shard") != ""
	if o.batchSize = c.Int("batch"); o.batchSize < 1 {
		return nil, fmt.Errorf("--batch must be at least 1, got %d", o.batchSize)
	}
	all := make([]imageJob, len(paths))
	for i, p := range paths {
		all[i] = imageJob{path: p, index: i}
	}
	shardI, shardN := 0, 1
	if s := c.String("shard"); s != "" {
		var err error
		if shardI, shardN, err = parseShard(s); err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return nil, errors.New("--shard needs a list of images: --images-from FILE or --image")
		}
		o.shard = s
	}
	if c.String("draw") != "" && len(paths) == 0 {
		return nil, errors.New("--draw needs --image or --images-from")
	}

	// Output.
	o.format = strings.ToLower(c.String("format"))
	switch o.format {
	case "":
		o.format = "text"
		if c.Bool("json") || o.batch {
			o.format = "json"
		}
	case "text", "json", "coco":
		if c.Bool("json") && o.format != "json" {
			return nil, fmt.Errorf("--json conflicts with --format %s", o.format)
		}
	default:
		return nil, fmt.Errorf("--format must be text, json or coco, not %q", c.String("format"))
	}
	if o.batch && o.format == "text" {
		return nil, errors.New("several images give JSON lines or COCO results: --format text needs a single --image")
	}
	if o.format == "coco" && len(paths) == 0 {
		return nil, errors.New("--format coco needs --image or --images-from")
	}
	if cats := c.String("categories"); cats != "" {
		if o.format != "coco" {
			return nil, errors.New("--categories applies only to --format coco")
		}
		var err error
		if o.categories, err = loadCategories(cats); err != nil {
			return nil, err
		}
	}
	o.out = c.String("out")
	if o.out != "" {
		if st, err := os.Stat(o.out); err == nil && st.IsDir() {
			return nil, fmt.Errorf("--out %s is a directory; give a file name", o.out)
		}
		if st, err := os.Stat(filepath.Dir(o.out)); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--out %s: directory %s does not exist", o.out, filepath.Dir(o.out))
		}
	}
	if o.vqvae = c.String("vqvae"); o.vqvae != "" {
		if _, err := os.Stat(o.vqvae); err != nil {
			return nil, fmt.Errorf("--vqvae: %w", err)
		}
	}
	// Last, as it may create a directory: over the whole list, so that every shard
	// names its drawings the same way.
	if d := c.String("draw"); d != "" {
		if err := assignDrawings(all, d, o.batch); err != nil {
			return nil, err
		}
	}
	o.images = shardJobs(all, shardI, shardN)
	return o, nil
}

// parseTask validates --task and its companions and builds the prompt text.
func (o *runOptions) parseTask(c *cli.Context) error {
	name := strings.ToLower(strings.TrimSpace(c.String("task")))
	for _, f := range []struct {
		flag  string
		tasks []string
	}{{"lang", langTasks}, {"question", questionTasks}, {"objects", objectTasks}} {
		if !c.IsSet(f.flag) {
			continue
		}
		if name == "" {
			return fmt.Errorf("--%s goes with --task %s", f.flag, strings.Join(f.tasks, "|"))
		}
		if slices.Contains(task.Tasks, name) && !slices.Contains(f.tasks, name) {
			return fmt.Errorf("--%s does not apply to --task %s (only to %s)", f.flag, name, strings.Join(f.tasks, ", "))
		}
	}
	if name == "" {
		return nil
	}
	if !slices.Contains(task.Tasks, name) {
		return fmt.Errorf("--task %q is not a task (want one of %s)", c.String("task"), strings.Join(task.Tasks, ", "))
	}
	question := c.String("question")
	switch {
	case name == "answer" && strings.TrimSpace(question) == "":
		return errors.New("--task answer needs --question \"...\"")
	case name == "question" && strings.TrimSpace(question) == "":
		return errors.New("--task question needs the answer to ask about in --question \"...\"")
	}
	o.req.Task, o.req.Lang, o.req.Question = pgedge.Task(name), c.String("lang"), question
	if slices.Contains(objectTasks, name) {
		s := c.String("objects")
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("--task %s needs --objects, e.g. --objects \"cat ; dog\"", name)
		}
		objects, err := pgedge.SplitObjects(s)
		if err != nil {
			return fmt.Errorf("--objects %q has an empty name (separate objects with \" ; \")", s)
		}
		o.req.Objects = objects
	}
	if _, err := o.req.PromptText(); err != nil {
		msg := strings.TrimPrefix(err.Error(), pgedge.ErrBadRequest.Error()+": ")
		msg = strings.TrimPrefix(msg, "task "+name+": ")
		return fmt.Errorf("--task %s: %s", name, msg)
	}
	return nil
}

// parseShard reads "i/n": shard i (0-based) of n.
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if ok {
		i, err = strconv.Atoi(strings.TrimSpace(a))
		if err == nil {
			n, err = strconv.Atoi(strings.TrimSpace(b))
		}
	}
	if !ok || err != nil {
		return 0, 0, fmt.Errorf("--shard %q: want i/n, e.g. 0/4 (the first of 4 shards)", s)
	}
	if n < 1 {
		return 0, 0, fmt.Errorf("--shard %q: the number of shards must be at least 1", s)
	}
	if i < 0 || i >= n {
		return 0, 0, fmt.Errorf("--shard %q: the shard index must be in 0..%d (it is 0-based)", s, n-1)
	}
	return i, n, nil
}

// shardJobs keeps jobs i, i+n, i+2n, ...
func shardJobs(jobs []imageJob, i, n int) []imageJob {
	var out []imageJob
	for k := i; k < len(jobs); k += n {
		out = append(out, jobs[k])
	}
	return out
}

// maxListLine bounds one line of an --images-from file.
const maxListLine = 1 << 20

// readImageList reads one path per line; blank lines and lines starting with '#' are
// skipped, and surrounding whitespace (a CRLF's '\r' included) is dropped.
func readImageList(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxListLine)
	var paths []string
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, fmt.Errorf("line %d: NUL byte in a path (is this a text file?)", line)
		}
		paths = append(paths, s)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return paths, nil
}

// readImageListFile is readImageList on a file; "-" is the standard input.
func readImageListFile(path string) ([]string, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--images-from: %w", err)
		}
		defer f.Close()
		r = f
	}
	paths, err := readImageList(r)
	if err != nil {
		return nil, fmt.Errorf("--images-from %s: %w", path, err)
	}
	return paths, nil
}

// assignDrawings sets where each image's drawing goes. One image: target is the PNG
// file, unless it is an existing directory or ends in a slash. Several images: target
// is a directory (created) receiving NAME.png per image, NAME-INDEX.png where base
// names repeat (INDEX is the position in the whole list, so shards never collide).
func assignDrawings(jobs []imageJob, target string, batch bool) error {
	st, err := os.Stat(target)
	isDir := err == nil && st.IsDir()
	if !batch && !isDir && !strings.HasSuffix(target, "/") && !strings.HasSuffix(target, string(filepath.Separator)) {
		if st, err := os.Stat(filepath.Dir(target)); err != nil || !st.IsDir() {
			return fmt.Errorf("--draw %s: directory %s does not exist", target, filepath.Dir(target))
		}
		for i := range jobs {
			jobs[i].draw = target
		}
		return nil
	}
	if err == nil && !isDir {
		return fmt.Errorf("--draw %s: with several images --draw names a directory, and this is a file", target)
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		return fmt.Errorf("--draw: %w", err)
	}
	stem := func(p string) string {
		b := filepath.Base(p)
		return strings.TrimSuffix(b, filepath.Ext(b))
	}
	seen := map[string]int{}
	for _, j := range jobs {
		seen[stem(j.path)]++
	}
	for i := range jobs {
		s := stem(jobs[i].path)
		name := s + ".png"
		if seen[s] > 1 {
			name = fmt.Sprintf("%s-%d.png", s, jobs[i].index)
		}
		jobs[i].draw = filepath.Join(target, name)
	}
	return nil
}
