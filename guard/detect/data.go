package detect

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// mongoOps are MongoDB query and aggregation operators that change a
// query's meaning when a client controls an object.
var mongoOps = words(`$ne $eq $gt $gte $lt $lte $in $nin $regex $options $where $exists $expr $function
	$accumulator $not $nor $or $and $elemmatch $all $size $type $mod $text $lookup $jsonschema $comment_
	$group $match $unwind $project $merge $out $graphlookup $facet $set $unset $rename $inc $push $pull`)

// nosqli flags MongoDB operators as JSON keys or bracket parameters
// (user[$ne]=x), operator objects in text, and server-side JavaScript
// used in $where clauses.
func nosqli(in *Input) string {
	l := in.Lower
	if in.Key && mongoOps[l] {
		return "nosqli.operator_key"
	}
	if !strings.Contains(l, "$") && !strings.Contains(l, "this.") && !strings.Contains(l, "sleep(") && !strings.Contains(l, "db.") && !strings.Contains(l, "==") {
		return ""
	}
	for i := 0; i < len(l); {
		j := strings.IndexByte(l[i:], '$')
		if j < 0 {
			break
		}
		j += i
		k := j + 1
		for k < len(l) && l[k] >= 'a' && l[k] <= 'z' {
			k++
		}
		i = k
		if !mongoOps[l[j:k]] {
			continue
		}
		// operator used as a key ("$ne": / {$gt: / [$ne]) or clause ($where:)
		p := j - 1
		for p >= 0 && (l[p] == ' ' || l[p] == '"' || l[p] == '\'') {
			p--
		}
		q := k
		for q < len(l) && (l[q] == ' ' || l[q] == '"' || l[q] == '\'') {
			q++
		}
		if p >= 0 && (l[p] == '{' || l[p] == '[' || l[p] == ',') && q < len(l) && (l[q] == ':' || l[q] == ']') {
			return "nosqli.operator"
		}
		if p < 0 && q < len(l) && (l[q] == ':' || l[q] == ']') {
			return "nosqli.operator"
		}
	}
	if strings.Contains(l, "db.") && (strings.Contains(l, ".find(") || strings.Contains(l, ".insert(") || strings.Contains(l, ".update(") || strings.Contains(l, ".remove(") || strings.Contains(l, ".drop(")) {
		return "nosqli.shell"
	}
	// server-side JavaScript: breaking out of a string into this.x.match(),
	// sleep(), busy loops, or a bare "|| 1==1" tautology.
	if strings.Contains(l, "this.") && strings.Contains(l, ".match(") {
		return "nosqli.javascript"
	}
	if (strings.Contains(l, "';") || strings.Contains(l, "\";")) && (strings.Contains(l, "sleep(") || strings.Contains(l, "while(") || strings.Contains(l, "return ")) {
		return "nosqli.javascript"
	}
	if t := strings.TrimSpace(l); strings.HasPrefix(t, "||") || strings.HasPrefix(t, "&&") {
		if strings.Contains(t, "==") {
			return "nosqli.javascript"
		}
	}
	return ""
}

// ssti flags template expressions that compute or reach into objects,
// leaving plain placeholders ({{name}}, ${firstName}, <%= title %>) alone.
func ssti(in *Input) string {
	l := in.Lower
	for _, d := range [...]struct{ open, close string }{
		{"{{", "}}"}, {"${", "}"}, {"#{", "}"}, {"<%", "%>"}, {"{%", "%}"}, {"*{", "}"}, {"@{", "}"}, {"[[", "]]"}, {"{$", "}"}, {"{#", "}"},
	} {
		for i := 0; i < len(l); {
			j := strings.Index(l[i:], d.open)
			if j < 0 {
				break
			}
			j += i
			body := l[j+len(d.open):]
			if k := strings.Index(body, d.close); k >= 0 {
				body = body[:k]
			}
			i = j + len(d.open)
			if templateExpr(body, d.open) {
				return "ssti.expression"
			}
		}
	}
	if !in.has("<?#$({@:_") {
		return ""
	}
	for _, s := range []string{"<#assign", "<#list", "?new()", "#set(", "$class.inspect", ".getclass()", "__class__", "__globals__",
		"__subclasses__", "__builtins__", "__mro__", "{php}", "{system(", "freemarker.template", "@(", "#foreach(", "<th:", "th:text"} {
		if strings.Contains(l, s) {
			if s == "@(" && !strings.Contains(l, "@(system") && !strings.Contains(l, "@(1+") && !strings.Contains(l, "@(7*") {
				continue
			}
			return "ssti.directive"
		}
	}
	return ""
}

// templateExpr reports whether a template body is an expression rather
// than a plain variable name or dotted path.
func templateExpr(body, open string) bool {
	t := strings.TrimSpace(body)
	t = strings.TrimPrefix(t, "=")
	t = strings.TrimPrefix(t, "-")
	t = strings.TrimSpace(t)
	if t == "" {
		return false
	}
	if open == "${" && strings.Contains(t, ":") && !strings.ContainsAny(t, "()*") {
		return false // ${aws:username}, ${AWS::Region}: CloudFormation/Serverless variables
	}
	if open == "{%" {
		for _, kw := range []string{"for ", "if ", "import", "set ", "include", "extends", "debug", "print", "raw", "block"} {
			if strings.HasPrefix(t, kw) || strings.Contains(t, "__") {
				return strings.ContainsAny(t, "()[]._")
			}
		}
		return false
	}
	// arithmetic on literals: {{7*7}}, ${3*3}
	for i := 1; i+1 < len(t); i++ {
		if t[i] == '*' || t[i] == '+' || t[i] == '/' || t[i] == '-' {
			a, b := t[:i], t[i+1:]
			if lastIsDigit(strings.TrimRight(a, " ")) && firstIsDigit(strings.TrimLeft(b, " ")) {
				return true
			}
		}
	}
	if strings.ContainsAny(t, "()[]|'\"") || strings.Contains(t, "__") || strings.Contains(t, "{{") {
		// calls, indexing, filters and literals; exclude simple "{{ name | upper }}"-less prose
		return open != "[[" || strings.ContainsAny(t, "*()")
	}
	switch t {
	case "request", "self", "config", "dump(app)", "app", "settings", "_self", "smarty.version":
		return true
	}
	return strings.HasPrefix(t, "smarty.") || strings.HasPrefix(t, "self.") || strings.HasPrefix(t, "_self.") ||
		strings.HasPrefix(t, "request.") || strings.HasPrefix(t, "config.") || strings.HasPrefix(t, "t(") || strings.HasPrefix(t, "class.")
}

func lastIsDigit(s string) bool  { return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' }
func firstIsDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// log4jLookups are the Log4j 2 lookup prefixes; any of them in ${...} is
// either a JNDI lookup, an obfuscation of one, or an exfiltration of
// environment and system properties.
var log4jLookups = words(`jndi env sys java lower upper date ctx main bundle base64 k8s docker log4j spring web
	marker map sd event jvmrunargs`)

// jndi flags Log4Shell: ${jndi:...} after resolving the lookup
// obfuscations (${lower:j}, ${::-j}, ${env:X:-j}, ${date:'j'}) and any
// Log4j lookup used to read the environment.
func jndi(in *Input) string {
	l := in.Lower
	if !strings.Contains(l, "${") {
		return ""
	}
	r := resolveLookups(l)
	if strings.Contains(r, "jndi:") || strings.Contains(r, "${jndi") {
		return "jndi.lookup"
	}
	for i := 0; i < len(l); {
		j := strings.Index(l[i:], "${")
		if j < 0 {
			break
		}
		j += i + 2
		i = j
		k := j
		for k < len(l) && (l[k] >= 'a' && l[k] <= 'z' || l[k] >= '0' && l[k] <= '9') {
			k++
		}
		if k < len(l) && l[k] == ':' && log4jLookups[l[j:k]] {
			return "jndi.lookup"
		}
		if strings.HasPrefix(l[j:], "::-") {
			return "jndi.obfuscation"
		}
	}
	return ""
}

// resolveLookups evaluates the innermost ${...} repeatedly, the way
// Log4j does, keeping defaults and case-function arguments and dropping
// other lookups; bounded by the input length.
func resolveLookups(s string) string {
	for n := 0; n < 64; n++ {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return s
		}
		start := strings.LastIndex(s[:end], "${")
		if start < 0 {
			// a stray '}' before any lookup: drop it and go on
			s = s[:end] + s[end+1:]
			continue
		}
		body := s[start+2 : end]
		var v string
		switch {
		case strings.HasPrefix(body, "jndi:"):
			return s // found; the caller matches "${jndi:"
		case strings.Contains(body, ":-"):
			v = body[strings.Index(body, ":-")+2:]
		case strings.HasPrefix(body, "lower:"), strings.HasPrefix(body, "upper:"):
			v = body[6:]
		case strings.HasPrefix(body, "date:"):
			v = strings.Trim(body[5:], "'")
		default:
			v = ""
		}
		s = s[:start] + v + s[end+1:]
	}
	return s
}

// protoPollution flags __proto__ and constructor.prototype as keys,
// dotted or bracketed paths, in any encoding.
func protoPollution(in *Input) string {
	l := in.Lower
	if in.Key && strings.Contains(l, "__proto__") {
		return "proto_pollution.key"
	}
	if in.Key && l == "prototype" && in.Parent == "constructor" {
		return "proto_pollution.constructor"
	}
	if i := strings.Index(l, ".prototype"); i >= 0 {
		// Object.prototype.isAdmin = true, x.prototype["y"] = ...
		rest := strings.TrimLeft(l[i+len(".prototype"):], " ")
		if strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "[") {
			if eq := strings.IndexByte(rest, '='); eq > 0 && (eq+1 >= len(rest) || rest[eq+1] != '=') {
				return "proto_pollution.assignment"
			}
		}
	}
	if strings.Contains(l, "__proto__") {
		return "proto_pollution.proto"
	}
	if i := strings.Index(l, "constructor"); i >= 0 {
		rest := l[i+len("constructor"):]
		rest = strings.TrimLeft(rest, `."'[]: {`)
		if strings.HasPrefix(rest, "prototype") {
			return "proto_pollution.constructor"
		}
	}
	return ""
}

// javaMagic holds the base64 spellings of the Java serialization stream
// header at each of the three byte alignments a prefix can shift it to.
var javaMagic = func() []string {
	magic := []byte{0xac, 0xed, 0x00, 0x05}
	var out []string
	for pad := 0; pad < 3; pad++ {
		b := append(make([]byte, pad), magic...)
		enc := base64.StdEncoding.EncodeToString(b)
		// keep the characters determined only by magic bytes
		first := (pad*8 + 5) / 6
		last := ((pad + 4) * 8) / 6
		out = append(out, strings.ToLower(enc[first:last]))
	}
	return out
}()

// deserialization flags serialized-object formats that instantiate
// classes on decode: Java streams (hex, base64, raw), Python pickle, PHP
// serialize, node-serialize, YAML language tags, polymorphic JSON typing,
// XMLDecoder/XStream, .NET BinaryFormatter and ObjectStateFormatter.
func deserialization(in *Input) string {
	raw := in.Raw
	l := in.Lower
	if strings.Contains(raw, "\xac\xed\x00\x05") || strings.Contains(l, "aced0005") {
		return "deserialization.java"
	}
	for _, m := range javaMagic {
		if strings.Contains(l, m) {
			return "deserialization.java"
		}
	}
	if in.has("$_") && (strings.Contains(l, "_$$nd_func$$_") || strings.Contains(l, "__js_function")) {
		return "deserialization.node_serialize"
	}
	if in.has("!:\"[<") {
		if r := serializedText(in, l); r != "" {
			return r
		}
	}
	if strings.HasPrefix(raw, "AAEAAAD/////") || strings.HasPrefix(raw, "/wEy") || strings.HasPrefix(raw, "/wEP") {
		return "deserialization.dotnet"
	}
	if r := pickle(raw); r {
		return "deserialization.pickle"
	}
	if b := decodeBase64(raw); b != nil {
		s := string(b)
		if phpSerialized(s) || pickle(s) || strings.Contains(s, "_$$ND_FUNC$$_") || strings.HasPrefix(s, "\xac\xed\x00\x05") {
			return "deserialization.base64"
		}
	}
	if len(raw) >= 8 && len(raw)%2 == 0 && strings.HasPrefix(l, "80") {
		if b, err := hex.DecodeString(raw); err == nil && pickle(string(b)) {
			return "deserialization.pickle"
		}
	}
	return ""
}

// phpSerialized matches O:<n>:"Class":<n>:{ and a:<n>:{ ... ;} shapes.
func phpSerialized(s string) bool {
	for _, pfx := range []string{"O:", "C:", "a:"} {
		for i := 0; i < len(s); {
			j := strings.Index(s[i:], pfx)
			if j < 0 {
				break
			}
			j += i
			i = j + 2
			if j > 0 && (s[j-1] >= 'a' && s[j-1] <= 'z' || s[j-1] >= 'A' && s[j-1] <= 'Z') {
				continue
			}
			k := j + 2
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k == j+2 || k+1 >= len(s) || s[k] != ':' {
				continue
			}
			if pfx == "a:" {
				if s[k+1] == '{' && strings.Contains(s[k:], ";") {
					return true
				}
				continue
			}
			if s[k+1] == '"' && strings.Contains(s[k:], ":{") {
				return true
			}
		}
	}
	return false
}

// pickle matches the start of a pickle stream: a PROTO opcode (0x80 with
// protocol 2-5) or a protocol-0 GLOBAL opcode naming a module and callable.
func pickle(s string) bool {
	if len(s) >= 2 && s[0] == 0x80 && s[1] >= 2 && s[1] <= 5 {
		return true
	}
	if len(s) > 3 && s[0] == 'c' {
		nl := strings.IndexByte(s, '\n')
		if nl > 1 && nl < 64 && !strings.ContainsAny(s[1:nl], " \t") {
			rest := s[nl+1:]
			nl2 := strings.IndexByte(rest, '\n')
			return nl2 > 0 && nl2 < 64 && !strings.ContainsAny(rest[:nl2], " \t")
		}
	}
	return false
}

// decodeBase64 decodes s when it is plausibly base64 (standard or URL
// alphabet, padded or not, at least 8 characters), else returns nil.
func decodeBase64(s string) []byte {
	s = strings.TrimSpace(s)
	if len(s) < 8 || len(s) > 1<<20 {
		return nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' || c == '=') {
			return nil
		}
	}
	t := strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(t); err == nil {
			return b
		}
	}
	return nil
}

// javaClassArray matches Jackson's default typing, ["com.x.Y", {...}]: a
// JSON array whose first element is a fully qualified class name.
func javaClassArray(l string) bool {
	for i := 0; i < len(l); i++ {
		if l[i] == '[' && classArrayAt(l[i+1:]) {
			return true
		}
	}
	return false
}

func classArrayAt(t string) bool {
	t = strings.TrimSpace(t)
	if !strings.HasPrefix(t, `"`) {
		return false
	}
	end := strings.IndexByte(t[1:], '"')
	if end < 0 {
		return false
	}
	name := t[1 : 1+end]
	rest := strings.TrimSpace(t[2+end:])
	if !strings.HasPrefix(rest, ",") {
		return false
	}
	rest = strings.TrimSpace(rest[1:])
	return strings.Count(name, ".") >= 2 && !strings.ContainsAny(name, " /:") && (strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "["))
}

// ldapi flags LDAP filter injection: a value that closes the
// application's filter and opens a new clause, or wildcard closers.
func ldapi(in *Input) string {
	l := in.Lower
	if !strings.Contains(l, ")") {
		return ""
	}
	for i := 0; i+1 < len(l); i++ {
		if l[i] != ')' {
			continue
		}
		j := i + 1
		if l[j] == '(' || (l[j] == '&' || l[j] == '|' || l[j] == '!') && j+1 < len(l) && l[j+1] == '(' {
			k := j + 1
			if l[j] != '(' {
				k = j + 2
			}
			for k < len(l) && (l[k] == '|' || l[k] == '&' || l[k] == '!' || l[k] == '(') {
				k++
			}
			// an attribute name and a filter operator
			a := k
			for k < len(l) && (l[k] >= 'a' && l[k] <= 'z' || l[k] >= '0' && l[k] <= '9' || l[k] == '-' || l[k] == '.' || l[k] == ';') {
				k++
			}
			if k < len(l) && (l[k] == '=' || l[k] == '~' || l[k] == '>' || l[k] == '<' || l[k] == ':') && k > a {
				return "ldapi.filter"
			}
			if k == a && k <= len(l) && (j+1 >= len(l) || k >= len(l) || l[k] == ')') && (l[j] != '(' || i > 0 && l[i-1] == '*') {
				return "ldapi.filter"
			}
		}
		if i > 0 && l[i-1] == '*' && (l[j] == ')' || l[j] == '(') {
			return "ldapi.wildcard"
		}
		if l[j] == '!' && j+1 < len(l) && l[j+1] == '(' {
			return "ldapi.filter"
		}
	}
	return ""
}

// serializedText matches the textual serialization formats: YAML tags,
// PHP serialize, polymorphic JSON, XMLDecoder and XStream documents.
func serializedText(in *Input, l string) string {
	for _, t := range []string{"!!python/", "!python/", "!ruby/", "!!ruby/", "!!javax.", "!!java.", "!!com.", "!!org.", "!!net.", "tag:yaml.org,2002:python/"} {
		if strings.Contains(l, t) {
			return "deserialization.yaml_tag"
		}
	}
	if phpSerialized(in.Decoded) {
		return "deserialization.php"
	}
	if strings.Contains(l, `"@type"`) || strings.Contains(l, `"$type"`) || strings.Contains(l, `"@class"`) || strings.Contains(l, `"@c"`) {
		if strings.Contains(l, `"@type"`) && strings.Contains(l, `"@context"`) {
			return "" // JSON-LD uses @type for vocabulary terms
		}
		return "deserialization.polymorphic_json"
	}
	if javaClassArray(l) {
		return "deserialization.polymorphic_json"
	}
	if strings.Contains(l, "<java") && strings.Contains(l, "class=") || strings.Contains(l, "<dynamic-proxy>") || strings.Contains(l, "<sorted-set>") && strings.Contains(l, "class=") {
		return "deserialization.xml_decoder"
	}
	return ""
}
