package deps

import (
	"encoding/json"
	"fmt"
	"github.com/faasguard/faasguard/internal/testcorpus"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"
)

// The peer harness measures extraction over osv-scanner's lockfile
// fixtures (../shared/corpus/lockfiles-osv-scanner, used in place). The
// corpus labels (file, ecosystem, package, version) rows with the
// advisories osv.dev returned, but ships no OSV records, so only
// extraction is measured: is each labelled package version found in the
// packages extracted from its file?

type peerCorpus struct {
	Files    []string `json:"files"`
	Expected []struct {
		File       string   `json:"file"`
		Ecosystem  string   `json:"ecosystem"`
		Package    string   `json:"package"`
		Version    string   `json:"version"`
		Advisories []string `json:"advisories"`
	} `json:"expected"`
}

// peerRatchet holds the floor the harness must not fall below; raise it
// when extraction improves.
type peerRatchet struct {
	MinFilesParsed int `json:"min_files_parsed"`
	MinRowsFound   int `json:"min_rows_found"`
}

// corpusDir finds ../shared/corpus beside the module root, or skips.
func corpusDir(t *testing.T) string { return testcorpus.Dir(t) }

// peerFormat picks the format for a fixture by the end of its name:
// osv-scanner's tests pass files such as my-package-lock.json explicitly.
func peerFormat(name string) *format {
	if f := formatFor(name); f != nil {
		return f
	}
	for i, f := range formats {
		if strings.HasSuffix(name, f.name) || (f.name == "go.mod" && path.Ext(name) == ".mod") {
			return &formats[i]
		}
	}
	return nil
}

func TestPeerLockfilesOSVScanner(t *testing.T) {
	base := filepath.Join(corpusDir(t), "lockfiles-osv-scanner")
	raw, err := os.ReadFile(filepath.Join(base, "expected.json"))
	if os.IsNotExist(err) {
		t.Skipf("peer corpus not present at %s: skipping the osv-scanner lockfile harness", base)
	}
	if err != nil {
		t.Fatal(err)
	}
	var c peerCorpus
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	var ratchet peerRatchet
	rb, err := os.ReadFile(filepath.Join("testdata", "ratchet.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rb, &ratchet); err != nil {
		t.Fatalf("ratchet.json: %v", err)
	}

	var sb strings.Builder
	tw := tabwriter.NewWriter(&sb, 0, 4, 1, ' ', 0)
	fmt.Fprintln(tw, "FILE\tFORMAT\tPACKAGES\tLABELLED\tFOUND\tMISSED")
	parsed, rowsTotal, rowsFound, rowsSupported := 0, 0, 0, 0
	for _, file := range c.Files {
		f := peerFormat(path.Base(file))
		var pkgs map[string]bool
		status, count := "unsupported", "-"
		if f != nil {
			dir := filepath.Join(base, filepath.FromSlash(path.Dir(file)))
			r, err := extractFile(dir, path.Base(file), f)
			switch {
			case err != nil:
				status = "error: " + err.Error()
			case len(r.Lockfiles) == 0:
				status = f.name + " (not parsed)"
				if len(r.Notes) > 0 {
					status += ": " + r.Notes[0].Detail
				}
			default:
				status, count = f.name, fmt.Sprint(len(r.Packages))
				parsed++
			}
			pkgs = map[string]bool{}
			for _, p := range r.Packages {
				pkgs[p.Ecosystem+" "+p.Name+" "+p.Version] = true
			}
		}
		labelled, found := 0, 0
		var missed []string
		for _, row := range c.Expected {
			if row.File != file {
				continue
			}
			labelled++
			if f != nil {
				rowsSupported++
			}
			if pkgs[row.Ecosystem+" "+row.Package+" "+row.Version] {
				found++
			} else {
				missed = append(missed, row.Package+"@"+row.Version)
			}
		}
		rowsTotal += labelled
		rowsFound += found
		if len(status) > 60 {
			status = status[:60] + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", strings.TrimPrefix(file, "testdata/"), status, count, labelled, found, strings.Join(missed, " "))
	}
	tw.Flush()
	t.Logf("osv-scanner lockfile fixtures (extraction only: the corpus ships no OSV records)\n%s", sb.String())
	t.Logf("files parsed %d/%d; labelled rows found %d/%d (%d of them in files of a supported format)",
		parsed, len(c.Files), rowsFound, rowsTotal, rowsSupported)
	if parsed < ratchet.MinFilesParsed || rowsFound < ratchet.MinRowsFound {
		t.Errorf("below the ratchet in testdata/ratchet.json: files parsed %d (min %d), rows found %d (min %d)",
			parsed, ratchet.MinFilesParsed, rowsFound, ratchet.MinRowsFound)
	}
}
