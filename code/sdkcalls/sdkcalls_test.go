package sdkcalls

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/code/lang"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/src/*")
	if err != nil || len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			calls, err := Extract(file, src, lang.FromPath(file))
			if err != nil {
				t.Fatal(err)
			}
			if len(calls) == 0 {
				t.Fatal("no calls found")
			}
			b, _ := json.MarshalIndent(calls, "", "  ")
			b = append(b, '\n')
			golden := filepath.Join("testdata", "golden", filepath.Base(file)+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if string(want) != string(b) {
				t.Errorf("%s differs:\n got: %s\nwant: %s", golden, b, want)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Extract("big.js", []byte(strings.Repeat("x", lang.MaxFileSize+1)), lang.JavaScript); !errors.Is(err, lang.ErrSkipped) {
		t.Errorf("huge file: err = %v, want ErrSkipped", err)
	}
	calls, err := Extract("broken.py", []byte("import boto3\ns3 = boto3.client('s3')\ns3.put_object(Bucket='b')\ndef (:\n  x = = 1\n"), lang.Python)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || calls[0].Operation != "put_object" {
		t.Errorf("partial parse: got %+v, want the put_object call", calls)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"const AWS = require('aws-sdk'); new AWS.S3().getObject({Bucket: process.env.B})", "import boto3\nboto3.client('s3').put_object(Bucket=os.environ['B'])"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, l := range []string{lang.JavaScript, lang.Python, lang.Go} {
			calls, err := Extract("fuzz", src, l)
			if err != nil {
				continue
			}
			for _, c := range calls {
				if c.Line < 1 || c.Operation == "" {
					t.Fatalf("bad call %+v", c)
				}
			}
		}
	})
}
