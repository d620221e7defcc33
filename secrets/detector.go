// Package secrets finds hard-coded credentials in files and configuration
// values.
//
// It wraps the gitleaks v8 rule set (used as a library, not copied) with a few
// extra generic rules of its own (rules.toml), placeholder and reference
// allowlists, documented example keys, a test-fixture path allowlist and a
// sensitive-name heuristic for single configuration values. It knows nothing
// of the application model: callers hand it paths, bytes, names and values.
package secrets

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/report"
)

// Defaults for Options fields left at their zero value.
const (
	DefaultMaxFileSize    = 10 << 20 // bytes; larger files are skipped with a Note
	DefaultChunkSize      = 1 << 20  // bytes scanned per gitleaks fragment
	DefaultMaxDecodeDepth = 2        // nested base64/hex/percent decoding passes
	chunkOverlap          = 8 << 10  // bytes re-scanned before each chunk boundary
	binarySniffLen        = 8 << 10  // bytes inspected for NUL / control characters
)

// DefaultAllowPaths are the path patterns (regular expressions over
// slash-separated paths) whose files ScanFile skips as test fixtures.
var DefaultAllowPaths = []string{
	`(?:^|/)(?:test|tests|__tests__|__mocks__|testdata|fixtures?|__fixtures__|spec)/`,
	`(?:^|/)[^/]*[._-](?:test|spec)\.[A-Za-z0-9]+$`,
	`(?:^|/)[^/]*_test\.go$`,
}

// Options configures a Detector. The zero value is usable.
type Options struct {
	// MaxFileSize is the largest file ScanFile reads; bigger files are
	// skipped with a Note (they are nearly always bundles or data dumps).
	// Zero means DefaultMaxFileSize; negative means no limit.
	MaxFileSize int64
	// ChunkSize is the size of the pieces a large file is scanned in.
	// Zero means DefaultChunkSize.
	ChunkSize int
	// MaxDecodeDepth bounds the nested decoding passes (base64, hex,
	// percent-encoding) gitleaks applies. Zero means DefaultMaxDecodeDepth;
	// negative disables decoding.
	MaxDecodeDepth int
	// AllowPaths are regular expressions over slash-separated paths whose
	// files ScanFile skips (test fixtures). Nil means DefaultAllowPaths; an
	// empty non-nil slice disables the path allowlist.
	AllowPaths []string
	// DisabledRules lists rule IDs (gitleaks' or faasguard's) not to run.
	DisabledRules []string
}

// Finding is one suspected secret.
type Finding struct {
	RuleID      string
	Description string
	// Line and EndLine are 1-based; Column is the 1-based byte column of the
	// secret on Line. ScanValue findings have no position (all zero).
	Line, Column, EndLine int
	// Secret is redacted: its first four characters followed by "****".
	Secret string
	// Match is the matched text with the secret redacted in it.
	Match   string
	Entropy float64
	// Kind is a coarse category: aws-access-key, aws-secret-key,
	// private-key, password, generic-api-key, jwt, connection-string,
	// api-token, or for ClassifyFile: env-file, local-settings,
	// npmrc-token, credentials-file.
	Kind string
	// Confidence is "high" (a distinctive format or a secret file) or
	// "medium" (a generic pattern or the name heuristic).
	Confidence string
}

// Note reports something a scan skipped or changed, and why.
type Note struct {
	Path    string
	Line    int // 1-based; 0 when the note is about the whole file
	Message string
}

func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", n.Path, n.Line, n.Message)
	}
	return n.Path + ": " + n.Message
}

// Detector scans content for secrets. Build it once with New; its methods
// are safe for concurrent use.
type Detector struct {
	gl          *detect.Detector
	maxFileSize int64
	chunkSize   int
	allowPaths  []*regexp.Regexp
	ruleCount   int
	keywords    *keywordIndex
	// pathRes are the path patterns of path-scoped rules and rule
	// allowlists; a file matching none of them is scanned without its
	// path, which spares gitleaks a path check per rule and window.
	pathRes []*regexp.Regexp

	values     sync.Map // ScanValue memo: name\x00value -> cachedValue
	valueCount atomic.Int64
}

//go:embed rules.toml
var extraRules string

// translateMu serialises config translation: gitleaks' Translate reads
// package-level state (extend depth, the global viper instance).
var translateMu sync.Mutex

// New builds a Detector from gitleaks' default rules plus faasguard's extra
// rules. It compiles a few hundred regular expressions, so build one and
// share it.
func New(opts Options) (*Detector, error) {
	cfg, err := loadConfig(config.DefaultConfig)
	if err != nil {
		return nil, fmt.Errorf("secrets: gitleaks default config: %w", err)
	}
	extra, err := loadConfig(extraRules)
	if err != nil {
		return nil, fmt.Errorf("secrets: rules.toml: %w", err)
	}
	for id, r := range extra.Rules {
		if _, dup := cfg.Rules[id]; dup {
			return nil, fmt.Errorf("secrets: rules.toml: rule %q duplicates a gitleaks rule", id)
		}
		cfg.Rules[id] = r
		cfg.OrderedRules = append(cfg.OrderedRules, id)
	}
	for _, id := range opts.DisabledRules {
		if _, ok := cfg.Rules[id]; !ok {
			return nil, fmt.Errorf("secrets: disabled rule %q does not exist", id)
		}
		delete(cfg.Rules, id)
	}
	// Rebuild the keyword set from the remaining rules so the prefilter
	// matches what is actually run.
	cfg.Keywords = make(map[string]struct{})
	for _, r := range cfg.Rules {
		for _, k := range r.Keywords {
			cfg.Keywords[k] = struct{}{}
		}
	}

	d := &Detector{
		gl:          detect.NewDetector(cfg),
		maxFileSize: opts.MaxFileSize,
		chunkSize:   opts.ChunkSize,
		ruleCount:   len(cfg.Rules),
		keywords:    newKeywordIndex(cfg),
	}
	for _, r := range cfg.Rules {
		if r.Path != nil {
			d.pathRes = append(d.pathRes, r.Path)
		}
		for _, a := range r.Allowlists {
			d.pathRes = append(d.pathRes, a.Paths...)
		}
	}
	switch {
	case opts.MaxDecodeDepth == 0:
		d.gl.MaxDecodeDepth = DefaultMaxDecodeDepth
	case opts.MaxDecodeDepth < 0:
		d.gl.MaxDecodeDepth = 0
	default:
		d.gl.MaxDecodeDepth = opts.MaxDecodeDepth
	}
	if d.maxFileSize == 0 {
		d.maxFileSize = DefaultMaxFileSize
	}
	if d.chunkSize <= 0 {
		d.chunkSize = DefaultChunkSize
	}
	if d.chunkSize < 2*chunkOverlap {
		d.chunkSize = 2 * chunkOverlap
	}
	allow := opts.AllowPaths
	if allow == nil {
		allow = DefaultAllowPaths
	}
	for _, p := range allow {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("secrets: allow path %q: %w", p, err)
		}
		d.allowPaths = append(d.allowPaths, re)
	}
	return d, nil
}

// RuleCount reports how many content and path rules the detector runs.
func (d *Detector) RuleCount() int { return d.ruleCount }

func loadConfig(toml string) (config.Config, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(toml)); err != nil {
		return config.Config{}, err
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, err
	}
	translateMu.Lock()
	defer translateMu.Unlock()
	return vc.Translate()
}

// allowedPath returns the allowlist pattern that matches path, if any.
func (d *Detector) allowedPath(path string) (string, bool) {
	for _, re := range d.allowPaths {
		if re.MatchString(path) {
			return re.String(), true
		}
	}
	return "", false
}

// ScanFile scans one file's content. path is used for path-based rules,
// the test-fixture allowlist and notes; it is not read. Findings are sorted
// by position. Notes say what was skipped or altered and why.
func (d *Detector) ScanFile(path string, content []byte) ([]Finding, []Note) {
	path = filepath.ToSlash(path)
	if pat, ok := d.allowedPath(path); ok {
		return nil, []Note{{Path: path, Message: "skipped: test fixture path (allowlist " + pat + ")"}}
	}
	for _, a := range d.gl.Config.Allowlists {
		if a.MatchCondition == config.AllowlistMatchOr && a.PathAllowed(path) {
			return nil, []Note{{Path: path, Message: "skipped: vendored, generated or media file (gitleaks path allowlist)"}}
		}
	}
	if d.maxFileSize > 0 && int64(len(content)) > d.maxFileSize {
		return nil, []Note{{Path: path, Message: fmt.Sprintf("skipped: %d bytes exceeds the %d-byte limit", len(content), d.maxFileSize)}}
	}
	if why, bin := binaryReason(content); bin {
		return nil, []Note{{Path: path, Message: "skipped: binary file (" + why + ")"}}
	}
	var notes []Note
	if !utf8.Valid(content) {
		fixed, n, first := sanitizeUTF8(content)
		if n*10 > len(content) {
			return nil, []Note{{Path: path, Line: first, Message: fmt.Sprintf("skipped: %d of %d bytes are not valid UTF-8; treated as binary", n, len(content))}}
		}
		content = fixed
		notes = append(notes, Note{Path: path, Line: first, Message: fmt.Sprintf("%d invalid UTF-8 bytes replaced by '?' before scanning", n)})
	}

	var out []Finding
	seen := make(map[string]bool)
	windows := d.keywords.windows(content, d.chunkSize)
	if len(windows) == 0 {
		// Path-only rules (pkcs12 files) still get to see the path.
		windows = []chunk{{startLine: 1}}
	}
	fragPath := ""
	for _, re := range d.pathRes {
		if re.MatchString(path) {
			fragPath = path
			break
		}
	}
	for _, c := range windows {
		for _, f := range d.scanChunk(fragPath, c) {
			// Chunks overlap, and several generic rules may match one
			// assignment: one finding per line and secret for those.
			key := fmt.Sprintf("%s\x00%d\x00%d\x00%s", f.RuleID, f.Line, f.Column, f.Secret)
			if f.Confidence != confHigh {
				key = fmt.Sprintf("generic\x00%d\x00%s", f.Line, f.Secret)
			}
			if !seen[key] {
				seen[key] = true
				out = append(out, f)
			}
		}
	}
	if why := encryptedDoc(content); why != "" {
		// Values of an encrypted document are ciphertext: keep only
		// specific (high-confidence) findings.
		kept := out[:0]
		for _, f := range out {
			if f.Confidence == confHigh {
				kept = append(kept, f)
			}
		}
		if len(kept) < len(out) {
			notes = append(notes, Note{Path: path, Message: fmt.Sprintf("%d generic finding(s) ignored: %s holds ciphertext", len(out)-len(kept), why)})
		}
		out = kept
	}
	sortFindings(out)
	return out, notes
}

// encryptedDoc names the encrypted-secret format content is in, if any:
// Bitnami SealedSecret, SOPS, Ansible Vault.
func encryptedDoc(content []byte) string {
	switch {
	case bytes.Contains(content, []byte("kind: SealedSecret")) || bytes.Contains(content, []byte(`"kind": "SealedSecret"`)):
		return "a SealedSecret"
	case bytes.Contains(content, []byte("ENC[AES256_GCM,")):
		return "a SOPS file"
	case bytes.HasPrefix(content, []byte("$ANSIBLE_VAULT;")):
		return "an Ansible Vault file"
	}
	return ""
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Line != fs[j].Line {
			return fs[i].Line < fs[j].Line
		}
		if fs[i].Column != fs[j].Column {
			return fs[i].Column < fs[j].Column
		}
		return fs[i].RuleID < fs[j].RuleID
	})
}

// chunk is a piece of a file: its text, the 1-based line it starts on and
// how many bytes of that line precede it (non-zero only when a single line
// is longer than the chunk size).
type chunk struct {
	text      []byte
	start     int // byte offset in the file
	startLine int
	colOffset int
}

// chunks splits content into pieces of about size bytes, cut after a
// newline where possible. Each piece after the first starts up to
// chunkOverlap bytes before the previous piece's end, so a secret that
// straddles a cut is seen whole in one of them; ScanFile drops duplicates.
func chunks(content []byte, size int) []chunk {
	if len(content) <= size {
		return []chunk{{text: content, startLine: 1}}
	}
	var out []chunk
	start := 0
	for start < len(content) {
		end := start + size
		if end >= len(content) {
			end = len(content)
		} else if nl := bytes.LastIndexByte(content[start+size/2:end], '\n'); nl >= 0 {
			end = start + size/2 + nl + 1
		} else {
			end = runeStart(content, end)
		}
		out = append(out, position(content, start, end))
		if end == len(content) {
			break
		}
		// Back up into the previous piece, to a line start if one is near.
		next := end - chunkOverlap
		if nl := bytes.IndexByte(content[next:end], '\n'); nl >= 0 && next+nl+1 < end {
			next += nl + 1
		} else {
			next = runeStart(content, next)
		}
		start = next
	}
	return out
}

// position describes content[start:end] with its line and column offset.
func position(content []byte, start, end int) chunk {
	line := 1 + bytes.Count(content[:start], []byte{'\n'})
	lineStart := bytes.LastIndexByte(content[:start], '\n') + 1
	return chunk{text: content[start:end], start: start, startLine: line, colOffset: start - lineStart}
}

// runeStart moves i back to the first byte of the UTF-8 sequence it is in.
func runeStart(b []byte, i int) int {
	for k := 0; k < utf8.UTFMax && i > 0 && i < len(b) && !utf8.RuneStart(b[i]); k++ {
		i--
	}
	return i
}

// binaryReason reports whether content looks binary: a NUL byte, or many
// control characters, in its first binarySniffLen bytes.
func binaryReason(content []byte) (string, bool) {
	head := content
	if len(head) > binarySniffLen {
		head = head[:binarySniffLen]
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fmt.Sprintf("NUL byte at offset %d", i), true
	}
	ctl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v' && b != 0x1b {
			ctl++
		}
	}
	if len(head) > 0 && ctl*20 > len(head) {
		return fmt.Sprintf("%d control bytes in the first %d", ctl, len(head)), true
	}
	return "", false
}

// sanitizeUTF8 replaces every byte of an invalid UTF-8 sequence by '?', one
// for one, so offsets, lines and columns are unchanged. It returns the
// copy, the number of bytes replaced and the 1-based line of the first.
func sanitizeUTF8(b []byte) ([]byte, int, int) {
	out := make([]byte, len(b))
	copy(out, b)
	n, first := 0, 0
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && size <= 1 {
			if first == 0 {
				first = 1 + bytes.Count(out[:i], []byte{'\n'})
			}
			out[i] = '?'
			n++
			i++
			continue
		}
		i += size
	}
	return out, n, first
}

// scanChunk runs gitleaks over one chunk and converts its findings.
func (d *Detector) scanChunk(path string, c chunk) []Finding {
	raw := string(c.text)
	frag := detect.Fragment{Raw: raw, FilePath: path, StartLine: c.startLine}
	found := d.gl.DetectContext(context.Background(), frag)
	if len(found) == 0 {
		return nil
	}
	lines := lineStarts(raw)
	var out []Finding
	for _, g := range dedupe(found) {
		f := convert(g)
		if g.Match != "" && !strings.HasPrefix(g.Match, "file detected: ") {
			f.Line, f.Column = secretPosition(raw, lines, g, c)
			f.EndLine = max(f.EndLine, f.Line)
		}
		out = append(out, f)
	}
	return out
}

// lineStarts returns the byte offset of the start of every line of s.
func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// position finds the 1-based line and byte column of g's secret. gitleaks
// reports where the match starts, and its column is off by one after the
// first line of a fragment, so its values are only hints for the search.
func secretPosition(raw string, lines []int, g report.Finding, c chunk) (int, int) {
	line, li := g.StartLine, g.StartLine-c.startLine
	if li < 0 || li >= len(lines) {
		return line, g.StartColumn
	}
	// Offset of the secret inside the match; a name/value rule may match
	// several lines with the secret on a later one.
	si := 0
	if g.Secret != "" {
		if k := strings.Index(g.Match, g.Secret); k >= 0 {
			si = k
		}
	}
	first := g.Match
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	text := lineText(raw, lines, li)
	from := min(max(0, g.StartColumn-2), len(text))
	mi := strings.Index(text[from:], first)
	if mi < 0 {
		from, mi = 0, strings.Index(text, first)
	}
	if mi < 0 {
		// Decoded (base64, hex) findings do not appear verbatim.
		return line, g.StartColumn + c.colOffset*b2i(li == 0)
	}
	abs := lines[li] + from + mi + si // offset of the secret in raw
	for li+1 < len(lines) && lines[li+1] <= abs {
		li++
		line++
	}
	return line, abs - lines[li] + 1 + c.colOffset*b2i(li == 0)
}

func lineText(raw string, lines []int, li int) string {
	end := len(raw)
	if li+1 < len(lines) {
		end = lines[li+1]
	}
	return raw[lines[li]:end]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
