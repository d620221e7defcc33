package detect

import (
	"encoding/base64"
	"strings"

	"github.com/corazawaf/libinjection-go"
)

// sqli runs libinjection's tokenizer and fingerprint matcher on the raw
// and decoded forms, and again as the tail of a numeric or quoted value
// (the way an injected fragment lands in a query). Hits without any SQL
// evidence (a quote, a comment, a statement keyword) are dropped: prose
// like "(a OR b) AND c" fingerprints as SQL but cannot break a query.
func sqli(in *Input) string {
	l := in.Lower
	if l == "" {
		return ""
	}
	strong := sqlKeyword(l)
	if strong || in.has("'\"`;#") || strings.Contains(l, "--") || strings.Contains(l, "/*") {
		forms, n := in.forms()
		for _, s := range forms[:n] {
			if ok, _ := libinjection.IsSQLi(s); ok {
				return "sqli.libinjection"
			}
		}
	}
	if strong {
		for _, pre := range []string{"1 ", "x' "} {
			if ok, _ := libinjection.IsSQLi(pre + l); ok {
				return "sqli.libinjection"
			}
		}
		if sqlStatement(l) {
			return "sqli.statement"
		}
	}
	if tautology(l) {
		return "sqli.tautology"
	}
	if quoteBoolean(l) {
		return "sqli.quote_breakout"
	}
	if quoteComment(l) {
		return "sqli.comment_truncation"
	}
	if (l[0] == 'o' || l[0] == 'a' || l[0] == 'x' || l[0] == 'h' || l[0] == ' ') && booleanFragment(l) {
		return "sqli.boolean_fragment"
	}
	if (strong || in.has("(@;")) && sqlFunction(l) {
		return "sqli.function"
	}
	return ""
}

// quoteBoolean flags a quote that closes a string literal and continues
// with a boolean operator or a new statement: "x' or ...", "\"and ...", "';".
func quoteBoolean(l string) bool {
	for i := 0; i < len(l); i++ {
		if l[i] != '\'' && l[i] != '"' && l[i] != '`' {
			continue
		}
		if i > 0 && l[i-1] >= 'a' && l[i-1] <= 'z' && i+1 < len(l) && l[i+1] >= 'a' && l[i+1] <= 'z' {
			continue // an apostrophe inside a word: o'brien, don't
		}
		rest := strings.TrimLeft(l[i+1:], " \t\n)")
		if strings.HasPrefix(rest, ";") {
			stmt := strings.TrimLeft(strings.ReplaceAll(rest[1:], "+", " "), " ")
			for _, kw := range []string{"select", "drop", "insert", "update", "delete", "exec", "shutdown", "declare", "waitfor", "truncate", "create", "alter", "grant", "set "} {
				if strings.HasPrefix(stmt, kw) {
					return true
				}
			}
		}
		for _, op := range []string{"or", "and", "xor", "||", "&&", "union", "having", "order by", "group by", "collate", "is not", "rlike", "like", "regexp", "div"} {
			if !strings.HasPrefix(rest, op) {
				continue
			}
			after := rest[len(op):]
			if op[0] != '|' && op[0] != '&' && (after == "" || after[0] != ' ' && after[0] != '(' && after[0] != '\'' && after[0] != '"' && after[0] != '\t' && after[0] != '\n' && after[0] != '/') {
				continue
			}
			if op == "union" && !followsSQL(strings.TrimLeft(after, " ("), sqlFollowers["union"]) {
				continue
			}
			// the clause must go on with SQL: an operand, a comparison or a comment
			after = strings.TrimLeft(after, " \t\n(")
			if after == "" {
				return false
			}
			if _, n := sqlOperand(after); n > 0 || hasAny(after[:1], "'\"@-#/=<>!") {
				return strings.ContainsAny(after, "=<>!~?()'\"#@-") || strings.Contains(after, " ")
			}
		}
	}
	return false
}

// quoteComment flags a closing quote followed only by a SQL comment,
// which truncates the rest of the query: "admin' #", "x'--".
func quoteComment(l string) bool {
	t := strings.TrimRight(l, " \t\n")
	for _, c := range []string{"#", "--", "/*", "-- -", ";--", ";#"} {
		if !strings.HasSuffix(t, c) {
			continue
		}
		head := strings.TrimRight(t[:len(t)-len(c)], " ")
		if strings.HasSuffix(head, "'") || strings.HasSuffix(head, "\"") || strings.HasSuffix(head, "')") || strings.HasSuffix(head, "\")") {
			return true
		}
	}
	return false
}

// sqlOnlyFuncs are function names that occur only in SQL.
var sqlOnlyFuncs = []string{"benchmark(", "pg_sleep(", "load_file(", "make_set(", "randomblob(", "extractvalue(", "updatexml(",
	"group_concat(", "dbms_pipe.", "utl_http.", "utl_inaddr.", "xp_cmdshell", "sys_eval(", "sys_exec(", "unistr(", "json_valid(",
	"sqlite_version(", "pg_read_file(", "dbms_lock.sleep", "waitfor delay", "information_schema.", "@@version", "char(", "nchar("}

// sqlFunction flags calls to SQL-only functions and catalog references.
func sqlFunction(l string) bool {
	t := strings.Join(strings.Fields(strings.ReplaceAll(l, "+", " ")), " ")
	for _, f := range sqlOnlyFuncs {
		if strings.Contains(t, f) {
			if f == "char(" || f == "nchar(" {
				if !strings.Contains(t, "select") && !strings.Contains(t, "||") && !strings.Contains(t, "+char") {
					continue
				}
			}
			return true
		}
	}
	for _, p := range []string{"delete from ", "insert into ", "drop table ", "truncate table ", "drop database "} {
		if strings.Contains(t, p) && hasAny(t, ";#'\"") {
			return true
		}
	}
	if strings.HasPrefix(t, "select ") && (strings.Contains(t, "@@") || strings.Contains(t, "(") || strings.Contains(t, "*")) {
		return true
	}
	return false
}

// booleanFragment flags a value that starts with a boolean operator and a
// comparison: "or x=y--", "and 1=(", "or '[1]'::json ->> 2='3'", the tail of
// a WHERE clause an attacker appends.
func booleanFragment(l string) bool {
	t := strings.Join(strings.Fields(strings.ReplaceAll(l, "+", " ")), " ")
	for _, op := range []string{"or ", "and ", "xor ", "having "} {
		if !strings.HasPrefix(t, op) {
			continue
		}
		rest := t[len(op):]
		if _, n := sqlOperand(rest); n > 0 {
			tail := strings.TrimLeft(rest[n:], " ")
			if tail != "" && strings.IndexByte("=<>!~?@:-#", tail[0]) >= 0 {
				return true
			}
		}
	}
	return false
}

// sqlKeywords are words that occur in injected SQL and seldom in prose.
var sqlKeywords = words(`select union insert update delete drop truncate exec execute declare waitfor sleep
	benchmark pg_sleep having information_schema sysobjects sysusers syscolumns xp_cmdshell load_file outfile dumpfile
	extractvalue updatexml concat concat_ws group_concat substring substr ascii char chr nchar cast convert
	dbms_pipe utl_http utl_inaddr rlike regexp_like sqlite_master pg_catalog mysql.user elt rand floor
	procedure analyse json_search json_array starts_with notnull isnull ord mid hex unhex iif md5 sha1 if
	version user current_user database schema_name table_name column_name limit offset order group`)

// sqlKeyword reports whether l contains a word from sqlKeywords followed
// by SQL syntax (a parenthesis, a space and more SQL, or @@).
func sqlKeyword(l string) bool {
	if strings.Contains(l, "@@") {
		return true
	}
	for i := 0; i < len(l); {
		for i < len(l) && !isWord(l[i]) {
			i++
		}
		j := i
		for j < len(l) && isWord(l[j]) {
			j++
		}
		w := strings.TrimRight(l[i:j], ".")
		if w != "" && sqlKeywords[w] {
			k := j
			for k < len(l) && (l[k] == ' ' || l[k] == '\t' || l[k] == '\n' || l[k] == '+') {
				k++
			}
			switch {
			case k < len(l) && l[k] == '(':
				return true
			case w == "order" || w == "group":
				if strings.HasPrefix(l[k:], "by ") || strings.HasPrefix(l[k:], "by+") {
					return true
				}
			case w == "information_schema" || w == "xp_cmdshell" || w == "sysobjects" || w == "sysusers" || w == "notnull" ||
				w == "outfile" || w == "dumpfile" || w == "sqlite_master":
				return true
			default:
				if next, ok := sqlFollowers[w]; ok && k < len(l) && followsSQL(l[k:], next) {
					return true
				}
			}
		}
		i = j
	}
	return false
}

// sqlFollowers lists, for statement keywords that are also English words,
// what must follow them to read as SQL ("union select", "drop table").
var sqlFollowers = map[string][]string{
	"union":    {"select", "all", "distinct", "(", "/*"},
	"select":   {"*", "@", "(", "null", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "'", "\"", "top ", "distinct", "concat", "char", "count", "user", "version", "database", "pg_", "sleep", "benchmark", "from", "current_", "session_", "system_", "@@"},
	"drop":     {"table", "database", "user", "procedure", "function", "view", "index", "schema"},
	"delete":   {"from"},
	"insert":   {"into"},
	"truncate": {"table", "["},
	"exec":     {"xp_", "sp_", "master", "(", "@"},
	"execute":  {"xp_", "sp_", "master", "(", "@", "immediate"},
	"declare":  {"@"},
	"having":   {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "'", "(", "\"", "count(", "sum(", "min(", "max(", "avg(", "len(", "length("},
	"waitfor":  {"delay", "time"},
}

func followsSQL(rest string, next []string) bool {
	for _, n := range next {
		if strings.HasPrefix(rest, n) {
			return true
		}
	}
	return false
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '$'
}

// sqlStatement flags statement shapes: UNION SELECT, SELECT ... FROM,
// stacked statements, ORDER BY n, time delays.
func sqlStatement(l string) bool {
	l = strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(l, "/**/", " "), "+", " ")), " ")
	for _, p := range []string{"union select", "union all select", "union distinct select", "union(select", "waitfor delay", "waitfor time",
		"select * from", "from information_schema", "from sysobjects", "from sysusers", "into outfile", "into dumpfile", "order by 1",
		"; drop ", ";drop ", "; delete ", "; truncate", ";truncate", "; insert ", "; update ", "; select ", ";select ", "; exec", ";exec",
		"; shutdown", ";shutdown", "; declare", "; copy ", ";copy ", "having 1", "notnull--", "isnull--"} {
		if strings.Contains(l, p) {
			return true
		}
	}
	if strings.HasPrefix(l, "select ") && (strings.HasSuffix(l, ";") || strings.Contains(l, "--") || strings.Contains(l, "#")) {
		return true
	}
	if i := strings.Index(l, "order by "); i >= 0 {
		rest := l[i+9:]
		if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
	}
	if i := strings.Index(l, "select "); i >= 0 {
		rest := l[i+7:]
		if j := strings.Index(rest, " from "); j > 0 && strings.ContainsAny(rest[:j], ",(@*'") {
			return true
		}
	}
	for _, f := range []string{"sleep(", "benchmark(", "pg_sleep(", "dbms_pipe.receive_message(", "load_file(", "extractvalue(", "updatexml(",
		"char(", "chr(", "concat(", "substring(", "ascii(", "if(", "elt(", "json_search", "starts_with(", "md5(", "version()", "user()", "database()"} {
		if strings.Contains(l, f) && hasAny(l, "'\"=,)#;") {
			return true
		}
	}
	return false
}

// tautology flags a boolean operator followed by a comparison whose sides
// are literals ("or 1=1", "' or 'x'='x", "and 0=benchmark(...)"): the shape
// of a condition injected to change a WHERE clause.
func tautology(l string) bool {
	for _, op := range []string{"or", "and", "xor", "||", "&&"} {
		for i := 0; i < len(l); {
			j := strings.Index(l[i:], op)
			if j < 0 {
				break
			}
			j += i
			i = j + len(op)
			if op[0] != '|' && op[0] != '&' {
				if j > 0 && isWord(l[j-1]) || i < len(l) && isWord(l[i]) {
					continue
				}
			}
			rest := strings.TrimLeft(l[i:], " \t\n+(")
			a, n := sqlOperand(rest)
			if n == 0 {
				continue
			}
			rest = strings.TrimLeft(rest[n:], " \t\n+)")
			cmp := ""
			for _, c := range []string{"<>", "!=", ">=", "<=", "=", "<", ">", "like ", "is "} {
				if strings.HasPrefix(rest, c) {
					cmp = c
					break
				}
			}
			if cmp == "" {
				if a == "true" || a == "1" || a == "not" {
					// "or true--", "or 1#"
					tail := strings.TrimLeft(rest, " ")
					if tail == "" || strings.HasPrefix(tail, "--") || strings.HasPrefix(tail, "#") || strings.HasPrefix(tail, "/*") || strings.HasPrefix(tail, ";") || strings.HasPrefix(tail, "–") {
						return strings.ContainsAny(l, "'\"#") || strings.Contains(l, "--") || strings.Contains(l, "–")
					}
				}
				continue
			}
			if strings.HasPrefix(strings.TrimLeft(rest[len(cmp):], " "), "(") && isLiteral(a) {
				return true // "and 7639=(select ..."
			}
			rest = strings.TrimLeft(rest[len(cmp):], " \t\n+(")
			b, m := sqlOperand(rest)
			if m == 0 {
				continue
			}
			if isLiteral(a) && isLiteral(b) || a == b {
				// prose compares too ("5 < 10 and 10 > 5"); an ordering
				// comparison needs a quote or comment around it
				if cmp == "=" || cmp == "like " || cmp == "is " || cmp == "!=" || cmp == "<>" ||
					strings.ContainsAny(l, "'\"#;") || strings.Contains(l, "--") || strings.Contains(l, "/*") {
					return true
				}
			}
		}
	}
	return false
}

// sqlOperand reads a literal or identifier at the start of s.
func sqlOperand(s string) (string, int) {
	if s == "" {
		return "", 0
	}
	if s[0] == '\'' || s[0] == '"' {
		if k := strings.IndexByte(s[1:], s[0]); k >= 0 {
			return s[:k+2], k + 2
		}
		return s, len(s)
	}
	k := 0
	for k < len(s) && (isWord(s[k]) || s[k] == '@') {
		k++
	}
	return s[:k], k
}

func isLiteral(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '\'' || s[0] == '"' {
		return true
	}
	if s == "null" || s == "true" || s == "false" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "@@")
		}
	}
	return true
}

// xss runs libinjection's HTML5 tokenizer, then checks the script-bearing
// constructs it does not model: javascript:/vbscript: URIs in text and
// event-handler attributes in fragments that are not whole tags.
func xss(in *Input) string {
	if !hasAny(in.Decoded, "<>:=(`[") && !strings.Contains(in.Raw, "+AD") && !strings.Contains(in.Raw, "&") {
		return ""
	}
	l := in.Lower
	if in.has(":") {
		l = squeezeSpace(l)
	}
	if in.has("+") && strings.Contains(in.Raw, "+AD") {
		if u := utf7(in.Raw); u != in.Raw {
			sub := NewInput(u, in.Key)
			if r := xss(&sub); r != "" {
				return "xss.utf7"
			}
		}
	}
	if in.has(":") {
		for _, scheme := range []string{"javascript:", "vbscript:", "livescript:", "mocha:", "data:text/html", "data:image/svg+xml", "data:application/x-javascript", "data:text/javascript"} {
			if strings.Contains(l, scheme) {
				return "xss.script_uri"
			}
		}
	}
	angle := in.has("<")
	if angle && (strings.Contains(l, "<script") || strings.Contains(l, "</script")) {
		return "xss.script_tag"
	}
	if i := strings.IndexByte(in.Lower, '<'); i >= 0 && eventHandler(in.Lower[i:]) {
		return "xss.event_handler"
	}
	if in.has("=") && eventHandlerAttr(in.Lower) {
		return "xss.event_handler"
	}
	if strings.Contains(l, "expression(") && strings.Contains(l, "style") {
		return "xss.css_expression"
	}
	if in.has("(`[.") && jsSink(l) {
		return "xss.js_sink"
	}
	if in.has("&\\") && obfuscatedAngle(in.Raw) {
		return "xss.encoded_markup"
	}
	if !angle && !in.has(">\"'") {
		return ""
	}
	// libinjection's HTML5 tokenizer flags any markup that could host
	// script; keep its verdict only when the markup carries an active
	// element or attribute, so that plain <p>, <svg> or XML documents pass.
	forms, n := in.forms()
	for _, s := range forms[:n] {
		if libinjection.IsXSS(s) && activeMarkup(l) {
			return "xss.libinjection"
		}
	}
	return ""
}

// activeMarkup reports elements and attributes that load or run content.
func activeMarkup(l string) bool {
	for _, t := range []string{"<iframe", "<frame", "<object", "<embed", "<applet", "<base", "<meta", "<link", "<form", "<button", "<input",
		"<isindex", "<math", "<img", "<image", "<video", "<audio", "<source", "<style", "<import", "<xss", "<x ", "<body", "<a", "<svg",
		"<set", "<animate", "<handler", "<marquee", "<details", "<template", "<xml", "<div", "<table", "<td", "<bgsound", "<layer", "<?import", "<!--", "<!["} {
		if strings.Contains(l, t) {
			switch t {
			case "<svg", "<a", "<div", "<table", "<td", "<xml", "<!--":
				// common benign markup: needs an active attribute or payload
				for _, a := range []string{"on", "href", "src", "style", "xlink", "formaction", "action", "background", "dynsrc", "lowsrc", "srcdoc", "data=", "<script", "alert", "prompt", "confirm", "eval"} {
					if strings.Contains(l, a) && (a != "on" || eventHandler(l)) {
						return true
					}
				}
				continue
			}
			return true
		}
	}
	for _, a := range []string{"src=", "href=", "style=", "formaction=", "srcdoc=", "xlink:href", "background=", "dynsrc=", "lowsrc="} {
		if strings.Contains(l, a) {
			return true
		}
	}
	return false
}

// eventHandlerAttr flags a value that breaks out of an attribute into an
// event handler: "onzoom=", "\" onfocus=alert(1) autofocus x=\"".
func eventHandlerAttr(l string) bool {
	t := strings.TrimLeft(l, " \"'`>/")
	if strings.HasPrefix(t, "on") && eventHandler(t) {
		return true
	}
	for _, q := range []string{"\" on", "' on", "\"on", "'on", "/on"} {
		if i := strings.Index(l, q); i >= 0 && eventHandler(l[i+1:]) {
			return true
		}
	}
	return false
}

// jsSinks are the calls and properties XSS payloads reach for.
var jsSinks = []string{"alert(", "alert`", "confirm(", "confirm`", "prompt(", "prompt`", "eval(", "settimeout(", "setinterval(",
	"document.cookie", "document.write", "document.domain", "document.location", "window.location", "location.href", "fromcharcode(",
	"top[", "self[", "window[", "parent[", "frames[", "globalthis[", "document.queryselector", "innerhtml", "outerhtml", ".constructor(",
	"atob(", "import(", "new function", "function(", "onerror=", "onload="}

// jsSink flags script calls to dialog, eval and DOM sinks.
func jsSink(l string) bool {
	for _, s := range jsSinks {
		i := strings.Index(l, s)
		if i < 0 {
			continue
		}
		if i > 0 && isWord(l[i-1]) && s[0] != '.' && s != "innerhtml" && s != "outerhtml" {
			continue
		}
		return true
	}
	return false
}

// utf7 decodes UTF-7 shifted sequences (+ADw- is '<'), which old browsers
// honoured when a page declared or sniffed UTF-7.
func utf7(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '+' {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9' || s[j] == '+' || s[j] == '/') {
			j++
		}
		raw, err := base64.RawStdEncoding.DecodeString(s[i+1 : j-(j-i-1)%4%len("xxxx")])
		if err != nil || len(raw) < 2 {
			b.WriteByte(s[i])
			continue
		}
		for k := 0; k+1 < len(raw); k += 2 {
			b.WriteRune(rune(raw[k])<<8 | rune(raw[k+1]))
		}
		i = j - 1
		if j < len(s) && s[j] == '-' {
			i = j
		}
	}
	return b.String()
}

// eventHandler reports an on*= attribute after a tag opener, with any
// whitespace, slash or quote between them.
func eventHandler(l string) bool {
	for i := 0; i+3 < len(l); i++ {
		if l[i] != 'o' || l[i+1] != 'n' {
			continue
		}
		if i > 0 {
			if p := l[i-1]; p != ' ' && p != '/' && p != '"' && p != '\'' && p != '\t' && p != '\n' && p != '\r' && p != '\f' {
				continue
			}
		}
		j := i + 2
		for j < len(l) && l[j] >= 'a' && l[j] <= 'z' {
			j++
		}
		if j-i < 5 {
			continue
		}
		for j < len(l) && (l[j] == ' ' || l[j] == '\t' || l[j] == '\n') {
			j++
		}
		if j < len(l) && l[j] == '=' {
			return true
		}
	}
	return false
}

// squeezeSpace drops whitespace and control characters, which browsers
// ignore inside "java\tscript:" and similar.
func squeezeSpace(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)-n)
	for i := 0; i < len(s); i++ {
		if s[i] > ' ' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// hasAny reports whether s contains any byte of chars.
func hasAny(s, chars string) bool {
	return strings.ContainsAny(s, chars)
}

// xxe flags DTDs that declare entities or load external subsets, and
// XInclude, the constructs that make an XML parser read files or URLs.
func xxe(in *Input) string {
	l := in.Lower
	if !strings.Contains(l, "<!") && !strings.Contains(l, "xinclude") && !strings.Contains(l, "<xi:") {
		return ""
	}
	if strings.Contains(l, "<!entity") {
		return "xxe.entity"
	}
	if i := strings.Index(l, "<!doctype"); i >= 0 {
		rest := l[i:]
		if end := strings.IndexByte(rest, '>'); end >= 0 {
			rest = rest[:end]
		}
		if strings.Contains(rest, "[") || strings.Contains(rest, " system") || strings.Contains(rest, " public") {
			return "xxe.doctype"
		}
	}
	if strings.Contains(l, "xinclude") || strings.Contains(l, "<xi:include") {
		return "xxe.xinclude"
	}
	return ""
}

// obfuscatedAngle flags a '<' written the way filters are evaded rather
// than the way text is escaped: numeric references with zero padding,
// an upper-case X or no semicolon, and \x3c or \u003c escapes. Plain
// "&lt;" and "&#60;" pass.
func obfuscatedAngle(raw string) bool {
	l := strings.ToLower(raw)
	if strings.Contains(l, `\x3c`) {
		return true
	}
	for i := 0; i < len(raw); {
		j := strings.Index(raw[i:], "&#")
		if j < 0 {
			return false
		}
		j += i + 2
		i = j
		hex := j < len(raw) && (raw[j] == 'x' || raw[j] == 'X')
		k := j
		if hex {
			k++
		}
		start := k
		for k < len(raw) && raw[k] == '0' {
			k++
		}
		zeros := k - start
		d := k
		for k < len(raw) && isHex(raw[k]) {
			k++
		}
		digits := strings.ToLower(raw[d:k])
		if hex && digits != "3c" || !hex && digits != "60" {
			continue
		}
		semi := k < len(raw) && raw[k] == ';'
		if zeros > 0 || !semi || hex && raw[j] == 'X' {
			return true
		}
	}
	return false
}
