package secrets

import (
	"bytes"
	"sort"
	"strings"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
)

// Windowing. gitleaks runs a rule over a whole fragment as soon as one of
// the rule's keywords occurs anywhere in it, and its context rules
// ([\w.-]{0,50}?(?:key|token|...)...) cost about as much per byte as the
// rest put together. Most lines of a source file hold no keyword, so
// ScanFile hands gitleaks only windows around the lines that do (and
// around lines gitleaks' decoder would decode), each as its own fragment
// with its true start line. Single-line rules see exactly what they would
// see in the whole file; multi-line rules get context lines, and rules
// whose match may run on (PEM blocks) get a long tail.

const (
	longTailBytes  = 16 << 10 // bytes kept after a multi-line keyword
	minEncodedRun  = 16       // gitleaks' base64 candidate length
	minHexRun      = 32       // gitleaks' hex candidate length
	mixedBase64Run = 24       // identifier-like runs shorter than this are not decoded candidates
)

// keywordIndex finds rule keywords in text.
type keywordIndex struct {
	trie ahocorasick.Trie
	long []bool // by pattern: keyword of a rule that can match many lines
	prev []bool // by pattern: keyword that can sit on a match's second line
}

func newKeywordIndex(cfg config.Config) *keywordIndex {
	long := make(map[string]bool)
	for _, r := range cfg.Rules {
		if r.Regex == nil || !strings.Contains(r.Regex.String(), `\s\S`) {
			continue
		}
		for _, k := range r.Keywords {
			long[k] = true
		}
	}
	keys := make([]string, 0, len(cfg.Keywords))
	for k := range cfg.Keywords {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ki := &keywordIndex{trie: *ahocorasick.NewTrieBuilder().AddStrings(keys).Build()}
	for _, k := range keys {
		ki.long = append(ki.long, long[k])
		ki.prev = append(ki.prev, strings.HasPrefix(k, "value"))
	}
	return ki
}

// windows returns the pieces of content to scan, as chunks at line starts
// (except when a single line exceeds size), in order.
func (ki *keywordIndex) windows(content []byte, size int) []chunk {
	lines := lineStartsBytes(content)
	lineOf := func(off int) int { return sort.SearchInts(lines, off+1) - 1 }

	type span struct{ lo, hi int }
	var spans []span
	add := func(lo, hi int) {
		lo = max(lo, 0)
		hi = min(hi, len(lines)-1)
		if n := len(spans); n > 0 && lo <= spans[n-1].hi+1 {
			spans[n-1].hi = max(spans[n-1].hi, hi)
			return
		}
		spans = append(spans, span{lo, hi})
	}

	lower := asciiLower(content) // same length: offsets stay valid
	var hits []span              // keyword lines, in order of their end offset
	ki.trie.Walk(lower, func(end, n, pattern int64) bool {
		l := lineOf(int(end))
		lo, hi := l, l
		switch {
		case ki.long[pattern]:
			hi = lineOf(min(len(content)-1, int(end)+longTailBytes))
		case ki.prev[pattern]:
			lo = l - 1 // value: on this line, its name on the one before
		}
		if endsOpen(content, lines, hi) {
			hi++ // key = <newline> value
		}
		hits = append(hits, span{lo, hi})
		return true
	})
	for _, l := range encodedLines(content, lines) {
		hits = append(hits, span{l - 1, l + 1})
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].lo < hits[j].lo })
	for _, h := range hits {
		add(h.lo, h.hi)
	}

	var out []chunk
	for _, s := range spans {
		start := lines[s.lo]
		end := len(content)
		if s.hi+1 < len(lines) {
			end = lines[s.hi+1]
		}
		if end-start <= size {
			out = append(out, chunk{text: content[start:end], start: start, startLine: s.lo + 1})
			continue
		}
		// A window longer than a chunk (keywords everywhere, or one
		// huge line) is split; the window starts at a line start, so
		// the pieces' lines and column offsets carry over.
		for _, c := range chunks(content[start:end], size) {
			c.start += start
			c.startLine += s.lo
			out = append(out, c)
		}
	}
	return out
}

// endsOpen reports whether line i ends with an assignment operator or an
// opening quote, so that its value may be on the next line.
func endsOpen(content []byte, lines []int, i int) bool {
	if i < 0 || i >= len(lines) {
		return false
	}
	end := len(content)
	if i+1 < len(lines) {
		end = lines[i+1]
	}
	t := bytes.TrimRight(content[lines[i]:end], " \t\r\n")
	if len(t) == 0 {
		return false
	}
	switch t[len(t)-1] {
	case ':', '=', '>', ',', '(', '"', '\'', '`', '\\', '[', '{':
		return true
	}
	return false
}

// lineStartsBytes returns the offset of the start of every line.
func lineStartsBytes(b []byte) []int {
	starts := make([]int, 1, 1+bytes.Count(b, []byte{'\n'}))
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}

// encodedLines returns the 0-based lines holding text gitleaks' decoder
// would try to decode: long base64 or hex runs, percent-encoding, unicode
// escapes. Plain identifiers (no digit, short) are left out.
func encodedLines(content []byte, lines []int) []int {
	var out []int
	for i, start := range lines {
		end := len(content)
		if i+1 < len(lines) {
			end = lines[i+1]
		}
		if encodedCandidate(content[start:end]) {
			out = append(out, i)
		}
	}
	return out
}

func encodedCandidate(line []byte) bool {
	run, hexRun := 0, 0
	var upper, lower, digit, sym bool
	for i, c := range line {
		switch {
		case c == '%' && i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2]):
			return true
		case c == '\\' && i+1 < len(line) && line[i+1] == 'u', c == 'U' && i+1 < len(line) && line[i+1] == '+':
			return true
		}
		if isHex(c) {
			hexRun++
			if hexRun >= minHexRun {
				return true
			}
		} else {
			hexRun = 0
		}
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '0' && c <= '9':
			digit = true
		case c == '+' || c == '/' || c == '-' || c == '_':
			sym = c == '+' || c == '/' || sym
		default:
			if run >= minEncodedRun && upper && lower && (digit || sym || run >= mixedBase64Run) {
				return true
			}
			run, upper, lower, digit, sym = 0, false, false, false, false
			continue
		}
		run++
	}
	return run >= minEncodedRun && upper && lower && (digit || sym || run >= mixedBase64Run)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// asciiLower lower-cases ASCII letters only, keeping every offset.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
