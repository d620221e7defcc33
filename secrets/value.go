package secrets

import (
	"context"
	"regexp"
	"strings"
	"unicode"

	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/report"
)

// sensitiveTokens are name words that on their own mark a value as secret.
var sensitiveTokens = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pass": true, "passphrase": true,
	"secret": true, "secrets": true, "token": true, "tokens": true, "apikey": true,
	"credential": true, "credentials": true, "creds": true, "auth": true,
	"privatekey": true, "secretkey": true, "accesskey": true, "clientsecret": true,
	"connectionstring": true, "connstr": true, "bearer": true, "jwtsecret": true,
	"dbpass": true, "dbpassword": true, "sas": true, "sastoken": true,
}

// keyQualifiers are words that make "...key" a secret (api key, signing key).
var keyQualifiers = map[string]bool{
	"api": true, "private": true, "secret": true, "access": true, "master": true,
	"encryption": true, "signing": true, "sign": true, "app": true, "account": true,
	"shared": true, "session": true, "client": true, "license": true, "hmac": true,
	"jwt": true, "auth": true, "admin": true, "service": true, "storage": true,
	"subscription": true, "webhook": true, "crypto": true, "cipher": true, "aes": true,
}

// keyNonSecret are words that make "...key" an identifier, not a secret.
var keyNonSecret = map[string]bool{
	"partition": true, "sort": true, "hash": true, "range": true, "primary": true,
	"public": true, "pub": true, "cache": true, "s3": true, "object": true,
	"bucket": true, "kms": true, "cmk": true, "idempotency": true, "routing": true,
	"foreign": true, "row": true, "lookup": true, "map": true, "dedup": true,
	"deduplication": true, "group": true, "message": true, "file": true, "path": true,
	"table": true, "index": true, "sse": true, "sequence": true, "cursor": true,
	"sorting": true, "composite": true, "unique": true, "natural": true, "search": true,
}

// metadataSuffixes end names that describe a secret rather than hold one
// (DB_PASSWORD_ARN, TOKEN_TTL, SECRET_NAME).
var metadataSuffixes = map[string]bool{
	"arn": true, "arns": true, "name": true, "names": true, "id": true, "ids": true,
	"url": true, "uri": true, "endpoint": true, "host": true, "hostname": true, "port": true,
	"path": true, "file": true, "dir": true, "region": true, "ttl": true, "length": true,
	"len": true, "size": true, "expiry": true, "expires": true, "expiration": true,
	"timeout": true, "type": true, "mode": true, "enabled": true, "enable": true,
	"disabled": true, "header": true, "version": true, "table": true, "bucket": true,
	"queue": true, "topic": true, "policy": true, "role": true, "field": true,
	"param": true, "parameter": true, "prefix": true, "suffix": true, "location": true,
	"alias": true, "count": true, "algorithm": true, "algo": true, "issuer": true,
	"audience": true, "scope": true, "scopes": true, "format": true, "rotation": true,
	"days": true, "seconds": true, "minutes": true, "hours": true, "flag": true,
	"required": true, "source": true, "provider": true, "store": true, "ref": true,
	"reference": true, "key_id": true, "kms": true, "strategy": true, "level": true,
	"method": true, "user": true, "username": true, "login": true, "email": true,
	"env": true, "var": true, "variable": true, "ssm": true, "vault": true,
}

// descriptorWords anywhere in a name mean it describes or configures a
// credential (PASSWORD_EXPIRE, update_password, PASSWORD_MIN_LENGTH).
var descriptorWords = map[string]bool{
	"expire": true, "expires": true, "expiry": true, "expiration": true, "expired": true,
	"update": true, "updated": true, "reset": true, "change": true, "changed": true,
	"hint": true, "prompt": true, "label": true, "placeholder": true, "regex": true,
	"pattern": true, "validation": true, "validator": true, "strength": true,
	"history": true, "policy": true, "min": true, "max": true, "minimum": true,
	"maximum": true, "length": true, "complexity": true, "rotation": true, "input": true,
	"lifetime": true, "reuse": true, "forgot": true, "forgotten": true, "recovery": true,
	"encrypted": true, "hashed": true, "hash": true, "salted": true, "sealed": true,
}

// nameWords splits a configuration name into lower-case words:
// "dbPassword", "DB_PASSWORD" and "db.password" all give [db password].
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// IsSensitiveName reports whether a configuration name (an environment
// variable, a parameter, a settings key) suggests that its value is a
// credential: PASSWORD, DB_PASS, API_KEY, clientSecret, AUTH_TOKEN... and not
// a description of one: SECRET_ARN, TOKEN_TTL, PUBLIC_KEY, PARTITION_KEY.
func IsSensitiveName(name string) bool {
	w := nameWords(name)
	if len(w) == 0 {
		return false
	}
	if metadataSuffixes[w[len(w)-1]] {
		return false
	}
	for _, word := range w {
		if descriptorWords[word] {
			return false
		}
	}
	for i, word := range w {
		if sensitiveTokens[word] {
			return true
		}
		if i+1 < len(w) && sensitiveTokens[word+w[i+1]] {
			return true
		}
		if word == "key" || word == "keys" {
			if i == 0 {
				if len(w) == 1 {
					return true
				}
				continue
			}
			prev := w[i-1]
			if keyQualifiers[prev] {
				return true
			}
			// A vendor name before KEY (STRIPE_KEY) marks a secret; a word
			// that names what the key indexes (SORT_KEY) does not.
			if !keyNonSecret[prev] && i == len(w)-1 {
				return true
			}
		}
	}
	return false
}

// placeholderWords are whole values that stand in for a secret.
var placeholderWords = map[string]bool{
	"changeme": true, "change_me": true, "change-me": true, "changeit": true,
	"replaceme": true, "replace_me": true, "replace-me": true, "placeholder": true,
	"todo": true, "tbd": true, "fixme": true, "none": true, "null": true, "nil": true,
	"undefined": true, "n/a": true, "na": true, "empty": true, "default": true,
	"secret": true, "password": true, "passwd": true, "token": true, "apikey": true,
	"api_key": true, "api-key": true, "key": true, "value": true, "string": true,
	"str": true, "number": true, "boolean": true, "bool": true, "any": true,
	"required": true, "optional": true, "redacted": true, "hidden": true,
	"masked": true, "test": true, "testing": true, "dummy": true, "fake": true,
	"mock": true, "sample": true, "example": true, "foo": true, "bar": true,
	"foobar": true, "secretkey": true, "secret_key": true, "mypassword": true,
	"yourpassword": true, "pass": true, "pwd": true,
}

var (
	placeholderRes = []*regexp.Regexp{
		regexp.MustCompile(`^<[^<>]*>$`),                   // <your-key>
		regexp.MustCompile(`^\[[^\[\]]*\]$`),               // [API_KEY]
		regexp.MustCompile(`^\{[A-Za-z_][\w.-]*\}$`),       // {VAR}
		regexp.MustCompile(`\$\{[^}]*\}`),                  // ${VAR}, ${ssm:...}
		regexp.MustCompile(`\{\{.*\}\}`),                   // {{ var }}, {{resolve:...}}
		regexp.MustCompile(`%\([\w.-]+\)[sdr]`),            // %(name)s
		regexp.MustCompile(`^\$[A-Za-z_][\w]*$`),           // $VAR
		regexp.MustCompile(`^\$\([A-Za-z_][\w]*\)$`),       // $(VAR)
		regexp.MustCompile(`^%[A-Za-z_][\w]*%$`),           // %VAR%
		regexp.MustCompile(`^@[A-Za-z_][\w]*@$`),           // @VAR@
		regexp.MustCompile(`#\{[^}]*\}`),                   // #{VAR}
		regexp.MustCompile(`<%.*%>`),                       // <%= var %>
		regexp.MustCompile(`(?i)x{4,}|\*{3,}|#{4,}|\.{3}`), // sk_live_xxxx, ****
		regexp.MustCompile(`(?i)^(?:your|my|some|insert|enter|put|replace|add)[-_ ]?(?:your|the|a|an|real|actual)?[-_ ]?[a-z_ -]*(?:key|token|secret|password|passwd|pwd|pass|here|id|value)$`),
		regexp.MustCompile(`(?i)(?:^|[-_ ])(?:here|goes[-_ ]here)$`),
		regexp.MustCompile(`(?i)changeme|change[-_]me|replace[-_]?me|replace[-_]with|placeholder|redacted|dummy|example|sample`),
		regexp.MustCompile(`(?i)^(?:todo|tbd|fixme)\b`),
	}
	referenceRes = []*regexp.Regexp{
		regexp.MustCompile(`^!(?:Ref|GetAtt|Sub|ImportValue|FindInMap|Join|Select|If|GetAZs|Base64|Cidr|Split|Transform)\b`),
		regexp.MustCompile(`^(?:Fn::|Ref$|\{\s*"?(?:Ref|Fn::))`),
		regexp.MustCompile(`^arn:aws[\w-]*:`),
		regexp.MustCompile(`(?i)^(?:ssm|secretsmanager|secrets-manager|vault|sm|kms|keyvault|gcp-secret|projects/[^/]+/secrets)[:/]`),
		regexp.MustCompile(`^@Microsoft\.KeyVault\(`),
		regexp.MustCompile(`^\[[A-Za-z]+\(`),    // ARM expression: [parameters('x')]
		regexp.MustCompile(`^\{\.`),             // JSONPath / kubectl template
		regexp.MustCompile(`^ENC\[[A-Z0-9_]+,`), // SOPS-encrypted value
		regexp.MustCompile(`^\$ANSIBLE_VAULT;`), // Ansible Vault
		regexp.MustCompile(`^(?:process\.env|os\.environ|os\.getenv|System\.getenv|Environment\.GetEnvironmentVariable|getenv|env|var|local|data|module|self|this|secrets|vars|params|props|config|settings|context|ctx|args|options|opts)\b[.\[(]`),
		// a.b.c with word-like parts (config.db.password, var.x_2), not
		// dotted tokens (ya29.a0Af..., header.payload.signature).
		regexp.MustCompile(`^[A-Za-z_$][A-Za-z_$]*[0-9]{0,3}(?:\.[A-Za-z_$][A-Za-z_$]*[0-9]{0,3})+(?:\(\))?$`),
		regexp.MustCompile(`^[A-Za-z_$][\w$.]*\(.*\)$`), // call(...)
	}
	// exampleKeys are credentials published in vendor documentation.
	exampleKeys = map[string]bool{
		"AKIAIOSFODNN7EXAMPLE":                     true,
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY": true,
		"AKIAI44QH8DHBEXAMPLE":                     true,
		"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY": true,
		"ASIAIOSFODNN7EXAMPLE":                     true,
	}
	exampleKeyRe = regexp.MustCompile(`(?:EXAMPLE|EXAMPLEKEY)$|^(?:AKIA|ASIA)[A-Z0-9]{0,12}EXAMPLE`)
)

// IsPlaceholder reports whether value stands in for a secret rather than
// being one: empty, "changeme", "xxx", "<your-key>", "TODO", or a template
// variable such as ${VAR}, {{ var }}, %(name)s or $VAR.
func IsPlaceholder(value string) bool {
	v := unquote(strings.TrimSpace(value))
	if v == "" {
		return true
	}
	if placeholderWords[strings.ToLower(v)] || oneRune(v) {
		return true
	}
	for _, re := range placeholderRes {
		if re.MatchString(v) {
			return true
		}
	}
	return false
}

// IsReference reports whether value points at a secret held elsewhere
// instead of containing it: CloudFormation intrinsics (!Ref, Fn::GetAtt),
// ARNs, ssm:/path, {{resolve:secretsmanager:...}}, Key Vault references, and
// code or template expressions (process.env.X, var.db_password).
func IsReference(value string) bool {
	v := unquote(strings.TrimSpace(value))
	if v == "" {
		return false
	}
	if strings.Contains(v, "{{resolve:") || strings.Contains(v, "${ssm:") || strings.Contains(v, "${env:") {
		return true
	}
	for _, re := range referenceRes {
		if re.MatchString(v) {
			return true
		}
	}
	return false
}

// IsExampleKey reports whether s is a credential published in vendor
// documentation (AKIAIOSFODNN7EXAMPLE and friends).
func IsExampleKey(s string) bool {
	return exampleKeys[s] || exampleKeyRe.MatchString(s)
}

// oneRune reports whether v repeats a single character (aaaaaa, 000000).
func oneRune(v string) bool {
	for _, r := range v {
		if r != rune(v[0]) {
			return false
		}
	}
	return true
}

func unquote(v string) string {
	if len(v) >= 2 {
		q := v[0]
		if (q == '"' || q == '\'' || q == '`') && v[len(v)-1] == q {
			return v[1 : len(v)-1]
		}
	}
	return v
}

var (
	numericRe = regexp.MustCompile(`^[-+]?(?:[0-9][0-9.,:_+eE-]*|0[xX][0-9a-fA-F]+)$`)
	boolRe    = regexp.MustCompile(`(?i)^(?:true|false|yes|no|on|off|null|none|nil|enabled|disabled)$`)
	urlRe     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]*@)?`)
	pathRe    = regexp.MustCompile(`^(?:/|\./|\.\./|~/|[A-Za-z]:\\)`)
	// cdkIDRe matches CDK logical IDs: a construct path in PascalCase
	// followed by an 8-hex-digit hash (MyFunctionServiceRole3C357FF2).
	cdkIDRe = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*[0-9A-F]{8}$`)
	// assetHashRe matches CDK asset names (asset.<64 hex>, cdk-hnb659fds-...).
	assetHashRe = regexp.MustCompile(`^(?:asset\.|cdk-[a-z0-9]{9}-)`)
)

// looksLiteral reports whether v could be a literal credential rather
// than a number, a flag, a plain URL, a path or a generated resource name.
func looksLiteral(v string) bool {
	v = unquote(strings.TrimSpace(v))
	if len(v) < 4 {
		return false
	}
	if numericRe.MatchString(v) || boolRe.MatchString(v) || pathRe.MatchString(v) {
		return false
	}
	if m := urlRe.FindStringSubmatch(v); m != nil {
		// A URL is a credential only through a user:password part.
		return m[1] != "" && strings.Contains(m[1], ":")
	}
	if cdkIDRe.MatchString(v) || assetHashRe.MatchString(v) {
		return false
	}
	return true
}

// strongEnough is the bar a value must pass when only its name says it is
// secret: a few characters of more than one class, or a long random one.
func strongEnough(v string) bool {
	if len(v) < 6 {
		return false
	}
	classes := 0
	var lower, upper, digit, other bool
	for _, r := range v {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes >= 2 && entropy(v) >= 2.0 {
		return true
	}
	return len(v) >= 12 && entropy(v) >= 3.0
}

// ScanValue checks one configuration value, such as an environment
// variable, given its name. It reports a finding when gitleaks' rules match
// the value, when a URL in it carries a password, or when the name is
// sensitive (IsSensitiveName) and the value is a literal, non-placeholder
// string of some strength. Placeholders, references, example keys,
// numbers, flags and plain URLs never match. The finding has no position.
func (d *Detector) ScanValue(name, value string) (Finding, bool) {
	v := unquote(strings.TrimSpace(value))
	if v == "" || len(v) > 64<<10 || IsPlaceholder(v) || IsReference(v) || IsExampleKey(v) {
		return Finding{}, false
	}
	key := name + "\x00" + v
	if r, ok := d.values.Load(key); ok {
		c := r.(cachedValue)
		return c.f, c.ok
	}
	f, ok := d.scanValue(name, v)
	if d.valueCount.Add(1) <= maxCachedValues {
		d.values.Store(key, cachedValue{f, ok})
	}
	return f, ok
}

// maxCachedValues bounds ScanValue's memo: the same environment block is
// usually repeated across every function of a stack.
const maxCachedValues = 1 << 16

type cachedValue struct {
	f  Finding
	ok bool
}

func (d *Detector) scanValue(name, v string) (Finding, bool) {
	text := v
	if name != "" && !strings.ContainsAny(v, "\r\n") {
		// One pass over an assignment gives the name-aware rules
		// (generic-api-key and friends) the context they expect; the
		// format rules find a token inside the quotes just as well.
		text = name + ` = "` + v + `"`
	}
	found := d.detectText(text)
	if kept := dedupe(found); len(kept) > 0 {
		f := convert(kept[0])
		f.Line, f.Column, f.EndLine = 0, 0, 0
		return f, true
	}
	if !IsSensitiveName(name) || !looksLiteral(v) || !strongEnough(v) {
		return Finding{}, false
	}
	kind := "generic-api-key"
	for _, w := range nameWords(name) {
		if strings.HasPrefix(w, "pass") || w == "pwd" || strings.HasSuffix(w, "password") {
			kind = "password"
		}
	}
	return Finding{
		RuleID:      RuleSensitiveName,
		Description: "A configuration value whose name marks it as a credential holds a literal value.",
		Secret:      redact(v),
		Match:       redactIn(name+"="+v, v),
		Entropy:     entropy(v),
		Kind:        kind,
		Confidence:  confMedium,
	}, true
}

func (d *Detector) detectText(s string) []report.Finding {
	return d.gl.DetectContext(context.Background(), detect.Fragment{Raw: s})
}
