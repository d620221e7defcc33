package secrets

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkFindings asserts the invariants every finding must hold.
func checkFindings(t *testing.T, content []byte, fs []Finding) {
	t.Helper()
	lines := 1 + bytes.Count(content, []byte{'\n'})
	for _, f := range fs {
		if f.RuleID == "" || f.Kind == "" || (f.Confidence != confHigh && f.Confidence != confMedium) {
			t.Fatalf("incomplete finding %+v", f)
		}
		if f.Line < 0 || f.Line > lines || f.EndLine < f.Line || f.EndLine > lines {
			t.Fatalf("finding lines %d-%d outside 1..%d: %+v", f.Line, f.EndLine, lines, f)
		}
		if f.Line > 0 && f.Column < 1 {
			t.Fatalf("finding column %d: %+v", f.Column, f)
		}
		if f.Secret != "" && (!strings.HasSuffix(f.Secret, "****") || utf8.RuneCountInString(f.Secret) > 8) {
			t.Fatalf("secret not redacted: %q", f.Secret)
		}
	}
}

func FuzzScanFile(f *testing.F) {
	f.Add("src/app.js", []byte("const token = '"+githubPAT(1)+"';\n"))
	f.Add("serverless.yml", []byte("provider:\n  environment:\n    DB_PASSWORD: Zx81!kdj29sKa\n    API_KEY: ${ssm:/k}\n"))
	f.Add("main.tf", []byte("resource \"x\" \"y\" {\n  password = \"Aa12345678\"\n}\n"))
	f.Add("k.pem", []byte("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"))
	f.Add("a.txt", []byte("caf\xe9 password=\xff\xfeabc123!\n"))
	f.Add("b.bin", []byte("\x00\x01\x02password=x"))
	f.Add("doc.md", []byte("mysql -u root --password Sne3sd8AZjq\nCREATE USER x IDENTIFIED BY 'p4ssW0rd!';\n"))
	d, err := New(Options{ChunkSize: 1}) // smallest chunks, to exercise splitting
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string, content []byte) {
		fs, notes := d.ScanFile(path, content)
		checkFindings(t, content, fs)
		for _, n := range notes {
			if n.Message == "" {
				t.Fatalf("empty note %+v", n)
			}
		}
	})
}

func FuzzScanValue(f *testing.F) {
	f.Add("DB_PASSWORD", "Zx81!kdj29sKa")
	f.Add("API_KEY", "${ssm:/x}")
	f.Add("GITHUB_TOKEN", githubPAT(2))
	f.Add("DATABASE_URL", "postgres://u:p4ss@h/db")
	f.Add("X", "\xff\xfe")
	f.Add("", "")
	d := detector(f)
	f.Fuzz(func(t *testing.T, name, value string) {
		fd, ok := d.ScanValue(name, value)
		if !ok {
			return
		}
		if IsPlaceholder(value) || IsReference(value) {
			t.Fatalf("placeholder or reference %q reported: %+v", value, fd)
		}
		checkFindings(t, nil, []Finding{fd})
	})
}

func FuzzClassifyFile(f *testing.F) {
	f.Add("local.settings.json", []byte(`{"Values":{"DB_PASSWORD":"Zx81!kdj29sKa"}}`))
	f.Add(".env", []byte("A=1\nSECRET=q8Xv2LmN4pR7sT1w\n"))
	f.Add(".npmrc", []byte("//r/:_authToken=abcdefgh12345678\n"))
	f.Add("credentials", []byte("[default]\naws_secret_access_key = abc\n"))
	f.Add("id_rsa", []byte("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, path string, content []byte) {
		checkFindings(t, content, ClassifyFile(path, content))
	})
}
