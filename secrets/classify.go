package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// ClassifyFile reports files whose presence in a repository is a finding
// of its own, whatever rule matches their content:
//
//   - local.settings.json (Azure Functions) whose Values hold secrets,
//     one finding per such value;
//   - .env and .env.* files (not .env.example, .env.sample, .env.template
//     and the like) holding a literal credential;
//   - private keys: PEM private key blocks, id_rsa-style files;
//   - .npmrc files with a literal auth token or password;
//   - credentials files (AWS credentials, .git-credentials, .netrc, .pgpass)
//     with a literal secret.
//
// Lines are 1-based and point at the secret-bearing line. It needs no
// Detector: the checks are structural plus IsSensitiveName/IsPlaceholder.
func ClassifyFile(p string, content []byte) []Finding {
	p = filepath.ToSlash(p)
	base := strings.ToLower(path.Base(p))
	if _, bin := binaryReason(content); bin && !privateKeyName(base) {
		return nil
	}
	var out []Finding
	switch {
	case base == "local.settings.json":
		out = localSettings(content)
	case isEnvFile(base):
		out = envFile(content)
	case base == ".npmrc":
		out = npmrc(content)
	case base == "credentials" || base == ".git-credentials" || base == ".netrc" || base == "_netrc" || base == ".pgpass":
		out = credentialsFile(base, content)
	}
	out = append(out, privateKeys(base, content)...)
	sortFindings(out)
	return out
}

var envExampleSuffixes = []string{".example", ".sample", ".template", ".dist", ".defaults", ".default", ".tpl", ".schema", ".test", ".ci"}

func isEnvFile(base string) bool {
	if base != ".env" && !strings.HasPrefix(base, ".env.") {
		return false
	}
	for _, s := range envExampleSuffixes {
		if strings.HasSuffix(base, s) {
			return false
		}
	}
	return true
}

// connSecretRe finds the secret part of a connection string.
var connSecretRe = regexp.MustCompile(`(?i)(?:^|;)\s*(?:AccountKey|SharedAccessKey|Password|Pwd|SharedSecretValue)\s*=\s*([^;]+)`)

// secretSetting reports whether a named setting holds a literal secret,
// and returns the secret part.
func secretSetting(name, value string) (string, bool) {
	v := strings.TrimSpace(value)
	if v == "" || IsPlaceholder(v) || IsReference(v) || IsExampleKey(v) {
		return "", false
	}
	if m := connSecretRe.FindStringSubmatch(v); m != nil {
		s := strings.TrimSpace(m[1])
		return s, !IsPlaceholder(s) && len(s) >= 4
	}
	if m := urlRe.FindStringSubmatch(v); m != nil {
		if m[1] == "" || !strings.Contains(m[1], ":") {
			return "", false
		}
		pw := strings.TrimSuffix(m[1][strings.IndexByte(m[1], ':')+1:], "@")
		return pw, !IsPlaceholder(pw) && len(pw) >= 3
	}
	if IsSensitiveName(name) && looksLiteral(v) && strongEnough(v) {
		return v, true
	}
	return "", false
}

func localSettings(content []byte) []Finding {
	var doc struct {
		Values            map[string]any
		ConnectionStrings map[string]any
	}
	if err := json.Unmarshal(content, &doc); err != nil {
		return nil
	}
	var out []Finding
	add := func(section string, m map[string]any) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := m[k]
			if obj, ok := v.(map[string]any); ok { // ConnectionStrings: {"ConnectionString": "...", "ProviderName": ...}
				v = obj["ConnectionString"]
			}
			s, ok := v.(string)
			if !ok {
				continue
			}
			secret, ok := secretSetting(k, s)
			if !ok {
				continue
			}
			line, col := findKey(content, `"`+k+`"`)
			out = append(out, Finding{
				RuleID:      RuleLocalSettings,
				Description: fmt.Sprintf("local.settings.json is committed and its %s.%s holds a secret; keep it out of version control and use app settings or Key Vault references.", section, k),
				Line:        line, Column: col, EndLine: line,
				Secret:     redact(secret),
				Match:      redactIn(k+": "+s, secret),
				Entropy:    entropy(secret),
				Kind:       "local-settings",
				Confidence: confHigh,
			})
		}
	}
	add("Values", doc.Values)
	add("ConnectionStrings", doc.ConnectionStrings)
	return out
}

// findKey returns the 1-based line and column of the first occurrence of
// needle in content, or line 1 if absent.
func findKey(content []byte, needle string) (int, int) {
	i := bytes.Index(content, []byte(needle))
	if i < 0 {
		return 1, 1
	}
	return lineCol(content, i)
}

func lineCol(content []byte, off int) (int, int) {
	line := 1 + bytes.Count(content[:off], []byte{'\n'})
	return line, off - (bytes.LastIndexByte(content[:off], '\n') + 1) + 1
}

var envLineRe = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*?)\s*$`)

// envFile reports the first literal secret of a committed .env file, with
// the number of secret-bearing variables in the description.
func envFile(content []byte) []Finding {
	var first *Finding
	n := 0
	off := 0
	for _, ln := range strings.SplitAfter(string(content), "\n") {
		start := off
		off += len(ln)
		m := envLineRe.FindStringSubmatch(strings.TrimRight(ln, "\r\n"))
		if m == nil || strings.HasPrefix(strings.TrimSpace(ln), "#") {
			continue
		}
		val := m[2]
		if i := strings.Index(val, " #"); i >= 0 && !strings.HasPrefix(val, `"`) && !strings.HasPrefix(val, "'") {
			val = strings.TrimSpace(val[:i])
		}
		val = unquote(val)
		secret, ok := secretSetting(m[1], val)
		if !ok {
			continue
		}
		n++
		if first == nil {
			line, col := lineCol(content, start+strings.Index(ln, m[1]))
			first = &Finding{
				RuleID: RuleEnvFile,
				Line:   line, Column: col, EndLine: line,
				Secret:     redact(secret),
				Match:      redactIn(m[1]+"="+val, secret),
				Entropy:    entropy(secret),
				Kind:       "env-file",
				Confidence: confHigh,
			}
		}
	}
	if first == nil {
		return nil
	}
	first.Description = fmt.Sprintf("A .env file with %d literal secret(s) is committed; keep it out of version control and load secrets from a secret store.", n)
	return []Finding{*first}
}

var npmrcRe = regexp.MustCompile(`(?m)^\s*(?:[^\s=]*:)?(_authToken|_auth|_password)\s*=\s*(.+?)\s*$`)

func npmrc(content []byte) []Finding {
	var out []Finding
	for _, m := range npmrcRe.FindAllSubmatchIndex(content, -1) {
		val := unquote(string(content[m[4]:m[5]]))
		if IsPlaceholder(val) || IsReference(val) || len(val) < 8 {
			continue
		}
		line, col := lineCol(content, m[4])
		out = append(out, Finding{
			RuleID:      RuleNpmrcToken,
			Description: "An .npmrc with a literal registry " + string(content[m[2]:m[3]]) + " is committed; use ${NPM_TOKEN} and a CI secret instead.",
			Line:        line, Column: col, EndLine: line,
			Secret:     redact(val),
			Match:      redactIn(string(content[m[2]:m[5]]), val),
			Entropy:    entropy(val),
			Kind:       "npmrc-token",
			Confidence: confHigh,
		})
	}
	return out
}

var (
	iniSecretRe  = regexp.MustCompile(`(?im)^\s*(aws_secret_access_key|aws_session_token|password|secret|token|client_secret)\s*[=:]\s*(\S+)\s*$`)
	netrcRe      = regexp.MustCompile(`(?m)\bpassword\s+(\S+)`)
	urlSecretRe  = regexp.MustCompile(`(?m)^\s*[a-z][a-z0-9+.-]*://[^:/@\s]+:([^@\s]+)@`)
	pgpassLineRe = regexp.MustCompile(`(?m)^[^#:\s][^:]*:[^:]*:[^:]*:[^:]*:(.+)$`)
)

func credentialsFile(base string, content []byte) []Finding {
	var re *regexp.Regexp
	group := 1
	switch base {
	case "credentials":
		re, group = iniSecretRe, 2
	case ".git-credentials":
		re = urlSecretRe
	case ".netrc", "_netrc":
		re = netrcRe
	case ".pgpass":
		re = pgpassLineRe
	}
	var out []Finding
	for _, m := range re.FindAllSubmatchIndex(content, -1) {
		s, e := m[2*group], m[2*group+1]
		val := unquote(strings.TrimSpace(string(content[s:e])))
		if IsPlaceholder(val) || IsReference(val) || IsExampleKey(val) || len(val) < 4 {
			continue
		}
		line, col := lineCol(content, s)
		out = append(out, Finding{
			RuleID:      RuleCredentials,
			Description: "A credentials file (" + base + ") with a literal secret is committed.",
			Line:        line, Column: col, EndLine: line,
			Secret:     redact(val),
			Match:      redact(val),
			Entropy:    entropy(val),
			Kind:       "credentials-file",
			Confidence: confHigh,
		})
	}
	return out
}

var pemKeyRe = regexp.MustCompile(`-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----`)

func privateKeyName(base string) bool {
	switch strings.TrimSuffix(base, ".pem") {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk":
		return true
	}
	return strings.HasSuffix(base, ".p12") || strings.HasSuffix(base, ".pfx") || strings.HasSuffix(base, ".ppk")
}

// privateKeys reports the PEM private key blocks of a key file (a file
// named like one, or one that starts with a PEM block) and, when there is
// none, files named like private keys. Keys embedded in other files are
// ScanFile's business.
func privateKeys(base string, content []byte) []Finding {
	ext := path.Ext(base)
	if !privateKeyName(base) && ext != ".pem" && ext != ".key" && ext != ".p8" &&
		!bytes.HasPrefix(bytes.TrimSpace(content), []byte("-----BEGIN")) {
		return nil
	}
	var out []Finding
	for _, m := range pemKeyRe.FindAllSubmatchIndex(content, 64) {
		line, col := lineCol(content, m[0])
		// A passphrase-protected key is still worth removing, but less
		// urgent.
		end := min(len(content), m[1]+256)
		conf := confHigh
		desc := "A private key is committed."
		if strings.Contains(string(content[m[2]:m[3]]), "ENCRYPTED") || bytes.Contains(content[m[1]:end], []byte("ENCRYPTED")) {
			conf = confMedium
			desc = "A passphrase-protected private key is committed."
		}
		out = append(out, Finding{
			RuleID:      RulePrivateKey,
			Description: desc,
			Line:        line, Column: col, EndLine: line,
			Secret:     "----****",
			Match:      string(content[m[0]:m[1]]),
			Kind:       "private-key",
			Confidence: conf,
		})
	}
	if len(out) == 0 && privateKeyName(base) && len(content) > 0 {
		out = append(out, Finding{
			RuleID:      RulePrivateKey,
			Description: "A file named like a private key (" + base + ") is committed.",
			Line:        1, Column: 1, EndLine: 1,
			Kind:       "private-key",
			Confidence: confMedium,
		})
	}
	return out
}
