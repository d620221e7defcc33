package secrets

import (
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/zricethezav/gitleaks/v8/report"
)

const (
	confHigh   = "high"
	confMedium = "medium"
)

// Rule IDs of findings produced outside gitleaks' rules.
const (
	RuleSensitiveName = "faasguard-sensitive-name"
	RuleEnvFile       = "faasguard-env-file"
	RuleLocalSettings = "faasguard-local-settings"
	RulePrivateKey    = "faasguard-private-key-file"
	RuleNpmrcToken    = "faasguard-npmrc-token"
	RuleCredentials   = "faasguard-credentials-file"
)

// isGeneric reports whether a rule matches by context (a suspicious name
// next to a value) rather than by a distinctive secret format.
func isGeneric(ruleID string) bool {
	return strings.Contains(ruleID, "generic") || ruleID == RuleSensitiveName
}

// dedupe drops allowlisted findings and, per line, findings whose secret is
// contained in a secret already kept, preferring specific rules to generic
// ones (gitleaks only does this for rules it calls generic).
func dedupe(found []report.Finding) []report.Finding {
	sort.SliceStable(found, func(i, j int) bool {
		return rank(found[i].RuleID) < rank(found[j].RuleID)
	})
	var kept []report.Finding
	for _, g := range found {
		if dropFinding(g) {
			continue
		}
		dup := false
		for _, k := range kept {
			if k.StartLine == g.StartLine && strings.Contains(k.Secret, g.Secret) {
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, g)
		}
	}
	return kept
}

func rank(ruleID string) int {
	switch {
	case !isGeneric(ruleID):
		return 0
	case !strings.HasPrefix(ruleID, "faasguard-"):
		return 1
	}
	return 2
}

// dropFinding applies faasguard's allowlists to a gitleaks finding: example
// keys, placeholders, references, and for generic rules values that do not
// look like a literal credential.
func dropFinding(g report.Finding) bool {
	if g.Secret == "" {
		return g.Match == "" // path-only rules carry no secret
	}
	if IsExampleKey(g.Secret) {
		return true
	}
	// A multi-line secret (a PEM block) is judged by its rule alone: its
	// padding (DEK-Info: ...,XXXX) is not a placeholder.
	if !strings.Contains(g.Secret, "\n") && (IsPlaceholder(g.Secret) || IsReference(g.Secret)) {
		return true
	}
	if !isGeneric(g.RuleID) {
		return false
	}
	if !looksLiteral(g.Secret) {
		return true
	}
	if len(g.Secret) > maxGenericLen {
		return true
	}
	// The assignment rules trust the key; check that it names a
	// credential (not bypass, compass) and does not describe one
	// (password_expire: "never").
	if assignmentRules[g.RuleID] {
		key := assignedKey(g.Line, g.Match, g.Secret)
		if key != "" && (describesSecret(key) || strings.HasPrefix(g.RuleID, "faasguard-") && !mentionsSecret(key)) {
			return true
		}
	}
	return false
}

// maxGenericLen bounds values taken by context rules; longer ones are
// data (certificates, blobs), not a password or a token.
const maxGenericLen = 256

// assignmentRules are the rules whose match is "key <op> value".
var assignmentRules = map[string]bool{
	"faasguard-generic-password":          true,
	"faasguard-generic-password-unquoted": true,
	"faasguard-generic-password-inline":   true,
	"faasguard-generic-secret":            true,
	"faasguard-generic-secret-unquoted":   true,
	"generic-api-key":                     true,
}

var keyBeforeRe = regexp.MustCompile(`([A-Za-z_][\w.-]*)["']?[ \t]*(?::[ \t]*[\w\[\]<>.|]+[ \t]*)?(?:==|!=|=>|:=|\?=|=|:)?[ \t]*["'\x60]?$`)

// assignedKey returns the key a secret is assigned to: the identifier
// before the secret on its line (the match may start inside the key).
func assignedKey(line, match, secret string) string {
	mi := strings.Index(line, match)
	si := strings.Index(match, secret)
	if mi < 0 || si < 0 {
		return ""
	}
	m := keyBeforeRe.FindStringSubmatch(line[:mi+si])
	if m == nil {
		return ""
	}
	return m[1]
}

// secretStems are the fragments of a key that make it name a credential.
var secretStems = []string{"passw", "passphrase", "pswd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "privatekey", "private_key", "private-key", "accesskey", "access_key", "access-key", "credential", "auth", "key", "cred", "bearer"}

// notPass are words that end in "pass" without being a password.
var notPass = map[string]bool{"bypass": true, "compass": true, "surpass": true, "trespass": true, "overpass": true, "underpass": true, "impass": true}

// mentionsSecret reports whether a key names a credential at all.
func mentionsSecret(key string) bool {
	k := strings.ToLower(key)
	for _, s := range secretStems {
		if strings.Contains(k, s) {
			return true
		}
	}
	for _, w := range nameWords(key) {
		if w == "pw" || w == "pass" || strings.HasSuffix(w, "pass") && !notPass[w] {
			return true
		}
	}
	return false
}

// describesSecret reports whether a key names metadata about a credential
// rather than the credential itself.
func describesSecret(key string) bool {
	w := nameWords(key)
	if len(w) == 0 {
		return false
	}
	if metadataSuffixes[w[len(w)-1]] {
		return true
	}
	for _, word := range w {
		if descriptorWords[word] {
			return true
		}
	}
	return false
}

func convert(g report.Finding) Finding {
	end := g.EndLine
	if end < g.StartLine {
		end = g.StartLine
	}
	f := Finding{
		RuleID:      g.RuleID,
		Description: g.Description,
		Line:        g.StartLine,
		Column:      g.StartColumn,
		EndLine:     end,
		Secret:      redact(g.Secret),
		Match:       redactIn(g.Match, g.Secret),
		Entropy:     math.Round(entropy(g.Secret)*1000) / 1000,
		Kind:        kindOf(g.RuleID),
		Confidence:  confHigh,
	}
	if isGeneric(g.RuleID) {
		f.Confidence = confMedium
	}
	return f
}

// redact keeps the first four characters of a secret.
func redact(s string) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	if len(r) > 4 {
		r = r[:4]
	}
	return string(r) + "****"
}

// redactIn replaces secret inside match by its redacted form, and bounds
// the result so a multi-line key does not end up in a report.
func redactIn(match, secret string) string {
	if secret != "" {
		match = strings.ReplaceAll(match, secret, redact(secret))
	}
	if i := strings.IndexByte(match, '\n'); i >= 0 {
		match = match[:i] + "…"
	}
	if r := []rune(match); len(r) > 120 {
		match = string(r[:120]) + "…"
	}
	return match
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	counts := make(map[rune]int)
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	var e float64
	for _, c := range counts {
		p := float64(c) / float64(n)
		e -= p * math.Log2(p)
	}
	return e
}

// kindOf maps a rule ID to the coarse Kind reported to users.
func kindOf(ruleID string) string {
	switch {
	case ruleID == "aws-access-token", ruleID == "faasguard-aws-access-key-id":
		return "aws-access-key"
	case strings.HasPrefix(ruleID, "aws-secret"), ruleID == "faasguard-aws-secret-key":
		return "aws-secret-key"
	case strings.Contains(ruleID, "private-key"):
		return "private-key"
	case strings.HasPrefix(ruleID, "jwt"):
		return "jwt"
	case ruleID == "generic-api-key":
		return "generic-api-key"
	case strings.Contains(ruleID, "password"):
		return "password"
	case strings.Contains(ruleID, "connection-string"), strings.Contains(ruleID, "url-credentials"):
		return "connection-string"
	case isGeneric(ruleID):
		return "generic-api-key"
	}
	return "api-token"
}
