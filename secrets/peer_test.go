package secrets

import (
	"encoding/json"
	"fmt"
	"github.com/faasguard/faasguard/internal/testcorpus"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The peer harness scores the detector against two other projects'
// labelled fixtures in ../shared/corpus (next to the module root):
// CredSweeper's samples with its accepted regression report, and the KICS
// secrets queries. It prints per-file and per-kind tables with -v and
// fails when a figure drops below secrets/testdata/ratchet.json. Run
// with PEER_RATCHET_UPDATE=1 to record new (better) figures.

// corpusDir returns ../shared/corpus beside the module root, or skips.
func corpusDir(t *testing.T) string { return testcorpus.Dir(t) }

// score counts expected items found and reported findings confirmed.
type score struct {
	expected, found int // expected items, and how many of them were found
	reported, tp    int // our findings, and how many match an expected item
}

func (s *score) add(o score) {
	s.expected += o.expected
	s.found += o.found
	s.reported += o.reported
	s.tp += o.tp
}

func (s score) recall() float64    { return ratio(s.found, s.expected) }
func (s score) precision() float64 { return ratio(s.tp, s.reported) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s score) String() string {
	return fmt.Sprintf("expected %4d found %4d (recall %5.1f%%)  reported %4d confirmed %4d (precision %5.1f%%)",
		s.expected, s.found, 100*s.recall(), s.reported, s.tp, 100*s.precision())
}

// span is the line range of one finding.
type span struct{ from, to int }

func (sp span) covers(line int) bool { return sp.from <= line && line <= sp.to }

func scanBoth(d *Detector, name string, content []byte) []span {
	fs, _ := d.ScanFile(name, content)
	fs = append(fs, ClassifyFile(name, content)...)
	out := make([]span, 0, len(fs))
	for _, f := range fs {
		out = append(out, span{f.Line, max(f.Line, f.EndLine)})
	}
	return out
}

type ratchet struct {
	CredSweeper struct {
		Recall, StrongRecall, Precision float64
	}
	KICS struct {
		Recall, Precision float64
		NegativeFiles     int // negative files with at least one finding (lower is better)
	}
}

func TestPeer(t *testing.T) {
	root := corpusDir(t)
	d, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got ratchet
	t.Run("credsweeper", func(t *testing.T) {
		all, strong := peerCredSweeper(t, d, filepath.Join(root, "secrets-credsweeper"))
		got.CredSweeper.Recall = round3(all.recall())
		got.CredSweeper.StrongRecall = round3(strong.recall())
		got.CredSweeper.Precision = round3(all.precision())
	})
	t.Run("kics", func(t *testing.T) {
		s, negs := peerKICS(t, d, filepath.Join(root, "kics-serverless"))
		got.KICS.Recall = round3(s.recall())
		got.KICS.Precision = round3(s.precision())
		got.KICS.NegativeFiles = negs
	})
	checkRatchet(t, got)
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

func checkRatchet(t *testing.T, got ratchet) {
	path := filepath.Join("testdata", "ratchet.json")
	if os.Getenv("PEER_RATCHET_UPDATE") != "" {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("ratchet updated: %s", b)
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read ratchet: %v", err)
	}
	var want ratchet
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	const eps = 1e-9
	check := func(name string, g, w float64) {
		if g+eps < w {
			t.Errorf("ratchet: %s dropped to %.3f (recorded %.3f)", name, g, w)
		}
	}
	check("credsweeper recall", got.CredSweeper.Recall, want.CredSweeper.Recall)
	check("credsweeper strong recall", got.CredSweeper.StrongRecall, want.CredSweeper.StrongRecall)
	check("credsweeper precision", got.CredSweeper.Precision, want.CredSweeper.Precision)
	check("kics recall", got.KICS.Recall, want.KICS.Recall)
	check("kics precision", got.KICS.Precision, want.KICS.Precision)
	if got.KICS.NegativeFiles > want.KICS.NegativeFiles {
		t.Errorf("ratchet: KICS negative files with findings rose to %d (recorded %d)", got.KICS.NegativeFiles, want.KICS.NegativeFiles)
	}
}

type csExpected struct {
	Kept     []string
	Expected []struct {
		Rule       string
		Confidence string
		Locations  []struct {
			File string
			Line int
		}
	}
}

// fileKind groups CredSweeper samples by format for the per-kind table.
func fileKind(name string) string {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".json", ".yaml", ".yml", ".xml", ".toml", ".md", ".eml", ".csv", ".log", ".tfvars", ".template":
		return ext[1:]
	}
	return "plain"
}

func peerCredSweeper(t *testing.T, d *Detector, dir string) (all, strong score) {
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Skipf("credsweeper corpus: %v", err)
	}
	var exp csExpected
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	// An expected item is one CredSweeper finding; it counts as found when
	// one of our findings covers any of its lines.
	type item struct {
		conf  string
		lines []int
	}
	items := make(map[string][]item)
	for _, e := range exp.Expected {
		byFile := make(map[string][]int)
		for _, l := range e.Locations {
			byFile[l.File] = append(byFile[l.File], l.Line)
		}
		for f, ls := range byFile {
			items[f] = append(items[f], item{e.Confidence, ls})
		}
	}
	perKind := make(map[string]*score)
	perConf := make(map[string]*score)
	var rows []string
	for _, name := range exp.Kept {
		content, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		spans := scanBoth(d, name, content)
		var s score
		for _, it := range items[name] {
			hit := false
			for _, sp := range spans {
				for _, l := range it.lines {
					hit = hit || sp.covers(l)
				}
			}
			c := perConf[it.conf]
			if c == nil {
				c = &score{}
				perConf[it.conf] = c
			}
			c.expected++
			s.expected++
			if hit {
				c.found++
				s.found++
			}
		}
		for _, sp := range spans {
			s.reported++
			confirmed := false
			for _, it := range items[name] {
				for _, l := range it.lines {
					confirmed = confirmed || sp.covers(l)
				}
			}
			if confirmed {
				s.tp++
			}
		}
		k := perKind[fileKind(name)]
		if k == nil {
			k = &score{}
			perKind[fileKind(name)] = k
		}
		k.add(s)
		all.add(s)
		if s.expected != s.found || s.reported != s.tp {
			rows = append(rows, fmt.Sprintf("  %-40s %s", name, s))
		}
	}
	t.Logf("CredSweeper samples: %d files; files that differ from the expected report:", len(exp.Kept))
	for _, r := range rows {
		t.Log(r)
	}
	for _, k := range sortedKeys(perKind) {
		t.Logf("  kind %-10s %s", k, *perKind[k])
	}
	for _, k := range sortedKeys(perConf) {
		c := perConf[k]
		t.Logf("  CredSweeper confidence %-9s expected %4d found %4d (recall %5.1f%%)", k, c.expected, c.found, 100*c.recall())
	}
	t.Logf("  TOTAL %s", all)
	return all, *perConfOrZero(perConf, "strong")
}

func perConfOrZero(m map[string]*score, k string) *score {
	if s := m[k]; s != nil {
		return s
	}
	return &score{}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type kicsIndex struct {
	Queries []struct {
		QueryDir      string `json:"query_dir"`
		Group         string
		QueryName     string
		PositiveFiles []string `json:"positive_files"`
		NegativeFiles []string `json:"negative_files"`
	}
}

func peerKICS(t *testing.T, d *Detector, dir string) (total score, negFiles int) {
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Skipf("kics corpus: %v", err)
	}
	var idx kicsIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	for _, q := range idx.Queries {
		if q.Group != "secrets" {
			continue
		}
		testDir := filepath.Join(dir, q.QueryDir, "test")
		var labels []struct {
			Line     int
			FileName string
		}
		if b, err := os.ReadFile(filepath.Join(testDir, "positive_expected_result.json")); err != nil {
			t.Errorf("%s: %v", q.QueryDir, err)
			continue
		} else if err := json.Unmarshal(b, &labels); err != nil {
			t.Errorf("%s: %v", q.QueryDir, err)
			continue
		}
		want := make(map[string][]int)
		for _, l := range labels {
			want[l.FileName] = append(want[l.FileName], l.Line)
		}
		var qs score
		var missed, extra, negHits []string
		// The file name alone is passed as the path: the fixtures live
		// under test/, which the default path allowlist would skip.
		for _, name := range q.PositiveFiles {
			content, err := os.ReadFile(filepath.Join(testDir, name))
			if err != nil {
				t.Errorf("%s/%s: %v", q.QueryDir, name, err)
				continue
			}
			spans := scanBoth(d, name, content)
			for _, l := range want[name] {
				qs.expected++
				hit := false
				for _, sp := range spans {
					hit = hit || sp.covers(l)
				}
				if hit {
					qs.found++
				} else {
					missed = append(missed, fmt.Sprintf("%s:%d", name, l))
				}
			}
			for _, sp := range spans {
				qs.reported++
				ok := false
				for _, l := range want[name] {
					ok = ok || sp.covers(l)
				}
				if ok {
					qs.tp++
				} else {
					extra = append(extra, fmt.Sprintf("%s:%d", name, sp.from))
				}
			}
		}
		for _, name := range q.NegativeFiles {
			content, err := os.ReadFile(filepath.Join(testDir, name))
			if err != nil {
				t.Errorf("%s/%s: %v", q.QueryDir, name, err)
				continue
			}
			spans := scanBoth(d, name, content)
			qs.reported += len(spans)
			if len(spans) > 0 {
				negFiles++
				negHits = append(negHits, fmt.Sprintf("%s:%d", name, spans[0].from))
			}
		}
		t.Logf("KICS %-50s %s", q.QueryName, qs)
		if len(missed) > 0 {
			t.Logf("    missed:   %s", strings.Join(missed, " "))
		}
		if len(extra) > 0 {
			t.Logf("    unlabelled findings in positive files: %s", strings.Join(extra, " "))
		}
		if len(negHits) > 0 {
			t.Logf("    findings in negative files: %s", strings.Join(negHits, " "))
		}
		total.add(qs)
	}
	t.Logf("  TOTAL %s; negative files with findings: %d", total, negFiles)
	return total, negFiles
}
