package peer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/rules"
)

type kicsQuery struct {
	Dir       string   `json:"query_dir"`
	Group     string   `json:"group"`
	Platform  string   `json:"platform"`
	Name      string   `json:"queryName"`
	Positives []string `json:"positive_files"`
	Negatives []string `json:"negative_files"`
}

type kicsExpected struct {
	Line     int    `json:"line"`
	FileName string `json:"fileName"`
}

func loadKICS(t *testing.T, corpus string) map[string]kicsQuery {
	var idx struct {
		Queries []kicsQuery `json:"queries"`
	}
	readJSON(t, filepath.Join(corpus, "kics-serverless", "index.json"), &idx)
	out := map[string]kicsQuery{}
	for _, q := range idx.Queries {
		out[q.Dir] = q
	}
	return out
}

// scoreKICS scans a query's positive and negative fixtures. A positive
// label is found when a finding of the mapped rules is at its line; with
// match: resource, when a finding lies in the label's resource block or
// names that resource (a role's finding reported at its attached policy);
// with match: file, anywhere in its file.
func scoreKICS(t *testing.T, corpus string, q kicsQuery, e Entry) (Score, []string) {
	base := filepath.Join(corpus, "kics-serverless", q.Dir, "test")
	var exp []kicsExpected
	readJSON(t, filepath.Join(base, "positive_expected_result.json"), &exp)
	var sc Score
	var misses []string
	byFile := map[string][]rules.Finding{}
	spans := map[string][]span{}
	for _, f := range q.Positives {
		byFile[f] = scanFile(t, filepath.Join(base, f), fixtureName(q.Platform, f), e)
		if e.Match == "resource" {
			data, err := os.ReadFile(filepath.Join(base, f))
			if err != nil {
				t.Fatal(err)
			}
			spans[f] = resourceSpans(data)
		}
	}
	for _, x := range exp {
		if x.FileName == "" && len(q.Positives) == 1 {
			// KICS omits the file name when a query has one positive file.
			x.FileName = q.Positives[0]
		}
		if why, ok := e.disagreesAt(x.FileName, x.Line); ok {
			misses = append(misses, fmt.Sprintf("not followed %s:%d: %s", x.FileName, x.Line, why))
			sc.NotFollowed++
			continue
		}
		sc.Expected++
		fs, ok := byFile[x.FileName]
		if !ok {
			misses = append(misses, fmt.Sprintf("label for %s not among the positive files", x.FileName))
			continue
		}
		hit := false
		for _, f := range fs {
			if e.Match == "file" || f.Pos.Line == x.Line ||
				e.Match == "resource" && (sameResource(spans[x.FileName], x.Line, f.Pos.Line) ||
					onResource([]rules.Finding{f}, resourceAt(spans[x.FileName], x.Line))) {
				hit = true
				break
			}
		}
		if hit {
			sc.Found++
		} else {
			misses = append(misses, fmt.Sprintf("missed %s:%d%s", x.FileName, x.Line, near(fs)))
		}
	}
	for _, f := range q.Negatives {
		if why, ok := e.disagrees(f); ok {
			misses = append(misses, fmt.Sprintf("not followed %s: %s", f, why))
			sc.NotFollowed++
			continue
		}
		sc.Negatives++
		if fs := scanFile(t, filepath.Join(base, f), fixtureName(q.Platform, f), e); len(fs) > 0 {
			sc.Unexpected++
			misses = append(misses, fmt.Sprintf("unexpected on %s: %s:%d %s", f, fs[0].RuleID, fs[0].Pos.Line, fs[0].Message))
		}
	}
	return sc, misses
}

func near(fs []rules.Finding) string {
	if len(fs) == 0 {
		return " (no finding in the file)"
	}
	var ls []string
	for _, f := range fs {
		ls = append(ls, fmt.Sprint(f.Pos.Line))
	}
	return " (findings at lines " + strings.Join(ls, ",") + ")"
}

type checkovCheck struct {
	ID     string `json:"check_id"`
	Origin string `json:"origin_test"`
	Files  []struct {
		Path  string `json:"path"`
		Label string `json:"filename_label"`
	} `json:"files"`
	Failing []string `json:"expected_failing_resources"`
	Passing []string `json:"expected_passing_resources"`
}

// kind is the framework a Checkov test exercises, from its path
// (tests/<kind>/...): serverless, cloudformation, arm, and terraform-aws,
// terraform-azure, terraform-gcp (tests/terraform/checks/resource/<cloud>).
func (c checkovCheck) kind() string {
	parts := strings.Split(c.Origin, "/")
	if len(parts) < 3 || parts[0] != "tests" {
		return "other"
	}
	if parts[1] == "terraform" && len(parts) > 5 && parts[2] == "checks" && parts[3] == "resource" {
		return "terraform-" + parts[4]
	}
	return parts[1]
}

// ofKind reports whether the test belongs to the framework kind names
// ("terraform" takes every cloud's tests).
func (c checkovCheck) ofKind(kind string) bool {
	k := c.kind()
	return kind == "" || k == kind || strings.HasPrefix(k, kind+"-")
}

func loadCheckov(t *testing.T, corpus string) map[string][]checkovCheck {
	var idx struct {
		Checks []checkovCheck `json:"checks"`
	}
	readJSON(t, filepath.Join(corpus, "checkov-serverless", "index.json"), &idx)
	out := map[string][]checkovCheck{}
	for _, c := range idx.Checks {
		if c.ID != "" {
			out[c.ID] = append(out[c.ID], c)
		}
	}
	return out
}

// scoreCheckov scores a Checkov check. Where the test asserts resources,
// each failing resource must carry a finding and no passing resource may:
// a resource address "Type.Name" is looked up in the fixture files that
// define it (name and type both appear in the file), since the test's
// assertions cover its whole fixture directory. Otherwise FAILED-labelled
// files must have a finding and PASSED ones none.
func scoreCheckov(t *testing.T, corpus string, c checkovCheck, e Entry) (Score, []string) {
	var sc Score
	var misses []string
	root := filepath.Join(corpus, "checkov-serverless")
	type scanned struct {
		path  string
		text  string
		spans []span
		fs    []rules.Finding
	}
	var files []scanned
	resourceLevel := len(c.Failing) > 0 || len(c.Passing) > 0
	for _, f := range c.Files {
		if why, ok := e.disagrees(f.Path); ok {
			misses = append(misses, fmt.Sprintf("not followed %s: %s", f.Path, why))
			sc.NotFollowed++
			continue
		}
		var fs []rules.Finding
		if strings.HasPrefix(f.Path, "tests/serverless/") {
			// A Serverless fixture is its directory: the config reads
			// sibling files (${file(customVars.json)}). Only the config
			// itself carries the label.
			if !strings.HasPrefix(filepath.Base(f.Path), "serverless.") {
				continue
			}
			fs = scanDir(t, filepath.Dir(filepath.Join(root, f.Path)), e)
		} else {
			fs = scanFile(t, filepath.Join(root, f.Path), filepath.Base(f.Path), e)
		}
		if resourceLevel {
			data, err := os.ReadFile(filepath.Join(root, f.Path))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, scanned{f.Path, string(data), resourceSpans(data), fs})
			continue
		}
		switch f.Label {
		case "FAILED":
			sc.Expected++
			if len(fs) > 0 {
				sc.Found++
			} else {
				misses = append(misses, "missed "+f.Path)
			}
		case "PASSED":
			sc.Negatives++
			if len(fs) > 0 {
				sc.Unexpected++
				misses = append(misses, fmt.Sprintf("unexpected on %s: %s:%d %s", f.Path, fs[0].RuleID, fs[0].Pos.Line, fs[0].Message))
			}
		}
	}
	if !resourceLevel {
		return sc, misses
	}
	// flagged reports whether a finding is on addr in a file defining it:
	// it names the resource, or it lies in the resource's block (a finding
	// on a resource SAM generates from it, such as the stage of an
	// AWS::Serverless::Api, is reported at the SAM resource).
	flagged := func(addr string) (bool, bool) {
		typ, name := addr, addr
		if i := strings.LastIndexByte(addr, '.'); i >= 0 {
			typ, name = addr[:i], addr[i+1:]
		}
		defined := false
		for _, f := range files {
			if !strings.Contains(f.text, typ) || !strings.Contains(f.text, name) {
				continue
			}
			defined = true
			if onResource(f.fs, addr) {
				return true, true
			}
			for _, x := range f.fs {
				if inResource(f.spans, name, x.Pos.Line) || inResource(f.spans, addr, x.Pos.Line) {
					return true, true
				}
			}
		}
		return false, defined
	}
	for _, r := range c.Failing {
		if why, ok := e.disagreesOn(r); ok {
			misses = append(misses, fmt.Sprintf("not followed %s: %s", r, why))
			sc.NotFollowed++
			continue
		}
		sc.Expected++
		if hit, defined := flagged(r); hit {
			sc.Found++
		} else if !defined {
			misses = append(misses, fmt.Sprintf("missed %s: defined in no fixture file scored", r))
		} else {
			misses = append(misses, "missed "+r)
		}
	}
	for _, r := range c.Passing {
		if why, ok := e.disagreesOn(r); ok {
			misses = append(misses, fmt.Sprintf("not followed %s: %s", r, why))
			sc.NotFollowed++
			continue
		}
		sc.Negatives++
		if hit, _ := flagged(r); hit {
			sc.Unexpected++
			misses = append(misses, "unexpected on passing "+r)
		}
	}
	return sc, misses
}

// onResource reports whether a finding concerns the Checkov resource
// address "Type.Name" (CloudFormation / ARM) or "type.name" (Terraform).
func onResource(fs []rules.Finding, addr string) bool {
	if addr == "" {
		return false
	}
	name := addr
	if i := strings.LastIndexByte(addr, '.'); i >= 0 {
		name = addr[i+1:]
	}
	for _, f := range fs {
		for _, id := range []string{f.Function, f.Resource} {
			if id != "" && (id == addr || id == name || strings.HasSuffix(id, "."+name) && strings.HasPrefix(addr, strings.Split(id, ".")[0])) {
				return true
			}
		}
	}
	return false
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
