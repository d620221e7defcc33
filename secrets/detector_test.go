package secrets

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// Test secrets are generated, not written out, so that this file holds no
// string a scanner (or a reviewer) would mistake for a real credential.

// token returns n deterministic pseudo-random characters from alphabet.
func token(seed uint32, n int, alphabet string) string {
	var b strings.Builder
	x := seed*2654435761 + 1
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteByte(alphabet[int(x%uint32(len(alphabet)))])
	}
	return b.String()
}

const (
	upper32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b64     = alnum + "+/"
)

func awsKeyID(seed uint32) string  { return "AKIA" + token(seed, 16, upper32) }
func githubPAT(seed uint32) string { return "ghp_" + token(seed, 36, alnum) }

var testDetector = sync.OnceValues(func() (*Detector, error) { return New(Options{}) })

func detector(t testing.TB) *Detector {
	t.Helper()
	d, err := testDetector()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// at returns the 1-based line and byte column of needle in s.
func at(s, needle string) (int, int) {
	i := strings.Index(s, needle)
	if i < 0 {
		return 0, 0
	}
	return 1 + strings.Count(s[:i], "\n"), i - (strings.LastIndex(s[:i], "\n") + 1) + 1
}

func TestScanFilePositions(t *testing.T) {
	d := detector(t)
	key := awsKeyID(1)
	pat := githubPAT(2)
	pw := "Vq7#" + token(3, 10, alnum)
	src := "// config\n" +
		"const region = 'eu-west-1';\n" +
		"\tconst id = \"" + key + "\";\n" +
		"export const gh = '" + pat + "'\n" +
		"db:\n  password: \"" + pw + "\"\n"
	tests := []struct {
		secret, kind, conf string
	}{
		{key, "aws-access-key", "high"},
		{pat, "api-token", "high"},
		{pw, "password", "medium"},
	}
	fs, notes := d.ScanFile("src/config.js", []byte(src))
	if len(notes) != 0 {
		t.Errorf("unexpected notes: %v", notes)
	}
	if len(fs) != len(tests) {
		t.Fatalf("got %d findings, want %d: %+v", len(fs), len(tests), fs)
	}
	for i, tt := range tests {
		f := fs[i]
		line, col := at(src, tt.secret)
		if f.Line != line || f.Column != col || f.EndLine != line {
			t.Errorf("%s: at %d:%d-%d, want %d:%d", f.RuleID, f.Line, f.Column, f.EndLine, line, col)
		}
		if f.Kind != tt.kind || f.Confidence != tt.conf {
			t.Errorf("%s: kind %s/%s, want %s/%s", f.RuleID, f.Kind, f.Confidence, tt.kind, tt.conf)
		}
		if f.Secret != tt.secret[:4]+"****" {
			t.Errorf("%s: secret not redacted: %q", f.RuleID, f.Secret)
		}
		if strings.Contains(f.Match, tt.secret) || !strings.Contains(f.Match, f.Secret) {
			t.Errorf("%s: match not redacted: %q", f.RuleID, f.Match)
		}
		if f.Entropy <= 0 {
			t.Errorf("%s: entropy %v", f.RuleID, f.Entropy)
		}
	}
}

func TestScanFileAllowlists(t *testing.T) {
	d := detector(t)
	tests := []struct {
		name, path, src string
	}{
		{"aws example key", "a.env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"},
		{"placeholders", "a.yaml", "password: changeme\napi_key: \"<your-api-key>\"\ntoken: ${TOKEN}\nsecret: '{{ .Values.secret }}'\npassword: \"%(db_password)s\"\nsecret_key: xxxxxxxxxxxxxxxx\n"},
		{"references", "t.yml", "MasterUserPassword: !Ref DbPassword\nDB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'\nSECRET: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf\nTOKEN: ${ssm:/app/token}\n"},
		{"code references", "a.py", "password = os.environ['DB_PASSWORD']\ntoken = process.env.API_TOKEN\nsecret_key = settings.SECRET_KEY\n"},
		{"descriptors", "a.yml", "password_expire: \"never\"\nupdate_password: \"on_create\"\nPASSWORD_MIN_LENGTH: \"12\"\n"},
		{"cdk logical id", "cdk.out/x.json", "\"secretName\": \"MyDatabaseSecret3B817195\"\n"},
		{"test fixture path", "src/__tests__/db.js", "const token = '" + githubPAT(9) + "'\n"},
		{"gitleaks allow comment", "a.js", "const token = '" + githubPAT(10) + "' // gitleaks:allow\n"},
		{"booleans and numbers", "a.yml", "password_required: true\nsecret: 12345678\ntoken_url: https://auth.example.org/oauth/token\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, _ := d.ScanFile(tt.path, []byte(tt.src))
			if len(fs) != 0 {
				t.Errorf("want no finding, got %+v", fs)
			}
		})
	}
}

func TestScanFileNotes(t *testing.T) {
	d, err := New(Options{MaxFileSize: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		content    []byte
		note       string // substring of the only note
		findings   int
	}{
		{"too big", "big.txt", bytes.Repeat([]byte("a"), 2<<10), "exceeds", 0},
		{"binary", "x.dat", append([]byte("ELF\x00\x01"), []byte("token = '"+githubPAT(4)+"'")...), "binary", 0},
		{"test path", "pkg/testdata/k.txt", []byte("x"), "test fixture", 0},
		{"invalid utf-8", "latin1.properties", []byte("# caf\xe9\ntoken=" + githubPAT(5) + "\n"), "invalid UTF-8", 1},
		{"mostly invalid", "x.dat", bytes.Repeat([]byte{0xff, 0xfe, 'a'}, 50), "not valid UTF-8", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, notes := d.ScanFile(tt.path, tt.content)
			if len(notes) != 1 || !strings.Contains(notes[0].Message, tt.note) {
				t.Fatalf("notes = %v, want one containing %q", notes, tt.note)
			}
			if len(fs) != tt.findings {
				t.Errorf("got %d findings, want %d: %+v", len(fs), tt.findings, fs)
			}
		})
	}
	// Replacing invalid bytes one for one keeps positions.
	src := "# caf\xe9 \xff\xfe\ntoken=" + githubPAT(6) + "\n"
	fs, _ := d.ScanFile("a.properties", []byte(src))
	if len(fs) != 1 || fs[0].Line != 2 || fs[0].Column != 7 {
		t.Errorf("invalid UTF-8: got %+v, want one finding at 2:7", fs)
	}
}

func TestScanFileMultiline(t *testing.T) {
	d := detector(t)
	body := ""
	for i := uint32(0); i < 12; i++ {
		body += token(100+i, 64, b64) + "\n"
	}
	src := "resource \"x\" \"y\" {\n  body = <<EOT\n-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\nEOT\n}\n"
	fs, _ := d.ScanFile("main.tf", []byte(src))
	if len(fs) != 1 {
		t.Fatalf("got %+v, want one private key", fs)
	}
	f := fs[0]
	if f.Kind != "private-key" || f.Line != 3 || f.Column != 1 || f.EndLine != 16 {
		t.Errorf("got %s at %d:%d-%d, want private-key at 3:1-16", f.Kind, f.Line, f.Column, f.EndLine)
	}
	if strings.Contains(f.Match, "\n") {
		t.Errorf("match spans lines: %q", f.Match)
	}
}

// TestScanFileChunks checks that chunked scanning of a large file finds
// the same secrets at the same positions as a single pass, including
// secrets near chunk boundaries and on a line longer than a chunk.
func TestScanFileChunks(t *testing.T) {
	var b strings.Builder
	var want []string
	for i := 0; i < 3000; i++ {
		if i%97 == 0 {
			s := githubPAT(uint32(i))
			want = append(want, s)
			fmt.Fprintf(&b, "const t%d = '%s';\n", i, s)
			continue
		}
		fmt.Fprintf(&b, "const v%d = compute(%d, 'some filler text to make the line longer');\n", i, i)
	}
	// One very long line (a minified bundle) with a secret deep inside.
	long := strings.Repeat("a=1;", 30000)
	deep := githubPAT(424242)
	want = append(want, deep)
	b.WriteString(long + "var k='" + deep + "';" + long + "\n")
	src := b.String()

	whole, err := New(Options{ChunkSize: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	small, err := New(Options{ChunkSize: 20 << 10})
	if err != nil {
		t.Fatal(err)
	}
	one, _ := whole.ScanFile("bundle.js", []byte(src))
	many, _ := small.ScanFile("bundle.js", []byte(src))
	if len(one) != len(want) {
		t.Fatalf("single pass: %d findings, want %d", len(one), len(want))
	}
	if fmt.Sprint(one) != fmt.Sprint(many) {
		t.Errorf("chunked scan differs:\n one: %v\nmany: %v", one, many)
	}
	for i, s := range want {
		line, col := at(src, s)
		if many[i].Line != line || many[i].Column != col {
			t.Errorf("secret %d at %d:%d, want %d:%d", i, many[i].Line, many[i].Column, line, col)
		}
	}
}

func TestChunksCoverContent(t *testing.T) {
	content := []byte(strings.Repeat("line with ünïcode\n", 5000) + strings.Repeat("é", 40000) + "\nend")
	for _, size := range []int{16 << 10, 20 << 10, 33333} {
		cs := chunks(content, size)
		prevEnd := 0
		for i, c := range cs {
			end := c.start + len(c.text)
			if i == 0 && c.start != 0 || i > 0 && (c.start > prevEnd || c.start <= cs[i-1].start) {
				t.Fatalf("size %d: chunk %d [%d,%d) does not follow [%d,%d)", size, i, c.start, end, cs[max(i-1, 0)].start, prevEnd)
			}
			if !bytes.Equal(c.text, content[c.start:end]) || !utf8.Valid(c.text) {
				t.Fatalf("size %d: chunk %d is not a valid slice of content", size, i)
			}
			if line := 1 + bytes.Count(content[:c.start], []byte{'\n'}); c.startLine != line {
				t.Errorf("size %d: chunk %d starts on line %d, want %d", size, i, c.startLine, line)
			}
			if col := c.start - (bytes.LastIndexByte(content[:c.start], '\n') + 1); c.colOffset != col {
				t.Errorf("size %d: chunk %d column offset %d, want %d", size, i, c.colOffset, col)
			}
			prevEnd = end
		}
		if prevEnd != len(content) {
			t.Errorf("size %d: chunks end at %d of %d", size, prevEnd, len(content))
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	d := detector(t)
	src := []byte("token = '" + githubPAT(77) + "'\n")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if fs, _ := d.ScanFile("a.js", src); len(fs) != 1 {
					t.Errorf("got %d findings", len(fs))
					return
				}
				if _, ok := d.ScanValue("API_TOKEN", githubPAT(78)); !ok {
					t.Error("ScanValue missed a token")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewOptions(t *testing.T) {
	if _, err := New(Options{DisabledRules: []string{"no-such-rule"}}); err == nil {
		t.Error("unknown disabled rule: want error")
	}
	if _, err := New(Options{AllowPaths: []string{"("}}); err == nil {
		t.Error("bad allow path: want error")
	}
	d, err := New(Options{DisabledRules: []string{"github-pat"}, AllowPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	full := detector(t)
	if d.RuleCount() != full.RuleCount()-1 {
		t.Errorf("rule count %d, want %d", d.RuleCount(), full.RuleCount()-1)
	}
	// With the path allowlist disabled, fixtures are scanned.
	fs, _ := d.ScanFile("test/a.yml", []byte("password: \"Zx81!"+token(5, 8, alnum)+"\"\n"))
	if len(fs) != 1 {
		t.Errorf("got %+v, want one finding", fs)
	}
}

// TestScanFileWindowEdges covers matches that run past their keyword's
// line, which the keyword windows must keep whole.
func TestScanFileWindowEdges(t *testing.T) {
	d := detector(t)
	filler := strings.Repeat("x = compute(1)\n", 50)
	val := token(31, 32, alnum)
	tests := []struct {
		name, src, secret string
	}{
		{"name/value pair", filler + "env:\n  - name: DB_PASS\n    value: \"Zx81kdj29q\"\n" + filler, "Zx81kdj29q"},
		{"value on the next line", filler + "client_secret =\n  \"" + val + "\"\n" + filler, val},
		{"pem block far from other keywords", filler + "const k = `-----BEGIN EC PRIVATE KEY-----\n" + token(32, 64, b64) + "\n" + token(33, 64, b64) + "\n-----END EC PRIVATE KEY-----`\n" + filler, "-----BEGIN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, _ := d.ScanFile("a.txt", []byte(tt.src))
			line, _ := at(tt.src, tt.secret)
			if len(fs) != 1 || fs[0].Line != line {
				t.Errorf("got %+v, want one finding on line %d", fs, line)
			}
		})
	}
}
