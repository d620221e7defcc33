package taint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// propagators return data derived from their receiver and arguments; a
// value through them keeps high confidence (unlike unknown calls).
var propagators = set(
	// JavaScript
	"JSON.parse", "JSON.stringify", "String", "decodeURIComponent", "decodeURI", "unescape", "atob", "Buffer.from",
	"Object.assign", "Object.values", "Object.keys", "Object.entries", "Object.fromEntries", "Array.from", "structuredClone",
	"querystring.parse", "qs.parse", "URLSearchParams", "url.parse", "path.join", "path.resolve", "path.normalize",
	"util.format", "Promise.resolve", "Buffer.concat",
	// Python
	"json.loads", "json.dumps", "str", "bytes", "repr", "dict", "list", "tuple", "sorted", "reversed",
	"base64.b64decode", "base64.urlsafe_b64decode", "base64.b64encode", "urllib.parse.unquote", "urllib.parse.unquote_plus",
	"urllib.parse.unquote_to_bytes", "urllib.parse.parse_qs", "urllib.parse.parse_qsl", "urllib.parse.urlparse",
	"urllib.parse.urljoin", "os.path.join", "os.path.normpath", "os.path.abspath", "os.path.realpath", "posixpath.join",
	"pathlib.Path", "Path",
	// Go
	"fmt.Sprintf", "fmt.Sprint", "fmt.Sprintln", "string", "[]byte", "path.Join", "path/filepath.Join", "path/filepath.Clean",
	"path.Clean", "path/filepath.Abs", "net/url.QueryUnescape", "net/url.PathUnescape", "net/url.Parse", "bytes.TrimSpace",
	"strings.NewReader", "bytes.NewReader", "bytes.NewBufferString", "strconv.Quote",
)

// propagatorMethods are methods whose result derives from the receiver.
var propagatorMethods = set(
	"toString", "trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "split", "slice", "substring", "substr",
	"replace", "replaceAll", "concat", "join", "padStart", "padEnd", "normalize", "map", "filter", "find", "at", "flat",
	"get", "getAll", "strip", "lstrip", "rstrip", "lower", "upper", "rsplit", "encode", "decode", "format", "pop",
	"items", "values", "keys", "splitlines", "title", "casefold", "removeprefix", "removesuffix", "copy",
	"String", "Bytes", "Get", "DecodeString", "Query", "Value",
)

// sanitisers return values that are safe for the classes given.
var sanitisers = map[string]classMask{
	"parseInt": maskAll, "parseFloat": maskAll, "Number": maskAll, "Number.parseInt": maskAll, "Number.parseFloat": maskAll,
	"Boolean": maskAll, "Math.floor": maskAll, "Math.round": maskAll, "Math.abs": maskAll,
	"encodeURIComponent": maskCmd | maskPath | maskSSRF | maskSQL,
	"path.basename":      maskPath, "shell-quote.quote": maskCmd, "shell-escape": maskCmd, "shellescape": maskCmd,
	"mysql.escape": maskSQL, "sqlstring.escape": maskSQL, "pg-format": maskSQL, "validator.escape": maskTemplate,
	"int": maskAll, "float": maskAll, "bool": maskAll, "len": maskAll, "uuid.UUID": maskAll,
	"shlex.quote": maskCmd, "pipes.quote": maskCmd, "os.path.basename": maskPath,
	"werkzeug.utils.secure_filename": maskPath, "secure_filename": maskPath, "html.escape": maskTemplate,
	"markupsafe.escape": maskTemplate, "urllib.parse.quote": maskCmd | maskPath | maskSSRF, "urllib.parse.quote_plus": maskCmd | maskPath | maskSSRF,
	"strconv.Atoi": maskAll, "strconv.ParseInt": maskAll, "strconv.ParseUint": maskAll, "strconv.ParseFloat": maskAll,
	"strconv.ParseBool": maskAll, "strconv.Itoa": maskAll, "path/filepath.Base": maskPath, "path.Base": maskPath,
	"net/url.QueryEscape": maskCmd | maskPath | maskSSRF, "net/url.PathEscape": maskCmd | maskPath | maskSSRF,
	"html.EscapeString": maskTemplate, "github.com/google/uuid.Parse": maskAll,
}

// evalCall returns the value of a call expression.
func (a *analyzer) evalCall(sc *scope, n *lang.Node, depth int) *value {
	fn, args, kw := a.callParts(n)
	name := a.canon(fn)
	method := lastSeg(name)
	var recv *lang.Node
	if fn != nil && a.syn.member[fn.Kind] {
		recv, _ = a.memberParts(fn)
	}
	if s := a.secretCall(name, args); s != "" {
		return &value{source: s, srcLine: n.Line, secret: true, path: []Step{{Line: n.Line, Expr: short(s)}}}
	}
	if fns := a.localCallee(sc, fn); fns != nil {
		argv := make([]*value, 0, len(args)+1)
		if a.lang == lang.Python && recv != nil && (a.text(recv) == "self" || a.text(recv) == "cls") {
			argv = append(argv, nil)
		}
		// Helpers are analysed even without tainted arguments: they may read
		// framework request objects or secrets themselves.
		for _, arg := range args {
			v := a.eval(sc, arg, depth+1)
			if v != nil {
				v = v.withStep(n.Line, a.text(n))
			}
			argv = append(argv, v)
		}
		var ret *value
		for _, f := range fns {
			ret = union(ret, a.analyzeFunc(f, argv, &scope{env: map[string]*value{}}))
		}
		return ret
	}
	var rv *value // the receiver's value
	if recv != nil {
		rv = a.eval(sc, recv, depth+1)
	}
	in := rv
	for _, arg := range args {
		if !a.syn.funcLit[arg.Kind] {
			in = union(in, a.eval(sc, arg, depth+1))
		}
	}
	for _, v := range kw {
		in = union(in, a.eval(sc, v, depth+1))
	}
	if in == nil {
		return nil
	}
	if m, ok := sanitisers[name]; ok {
		c := in.copy()
		c.cleared |= m
		c.rootChain, c.whole = false, false
		return c
	}
	switch {
	case (method == "get" || method == "Get") && rv != nil && rv.rootChain && len(args) > 0 && a.isStringLit(args[0]):
		// event.get("body") / event.Headers.Get("x") read a field.
		return a.deriveName(rv, "."+method+"("+a.text(args[0])+")", n.Line)
	case propagators[name] || propagators[method] && recv == nil:
		c := in.copy()
		c.rootChain = false
		if name == "fmt.Sprintf" || name == "util.format" || name == "String" || name == "str" {
			c.str = true
			c.sql = c.sql || sqlText.MatchString(a.literalText(n))
		}
		return c
	case propagatorMethods[method] && recv != nil:
		c := in.copy()
		c.rootChain = false
		if method == "format" || method == "join" || method == "concat" {
			c.str = true
			c.sql = c.sql || sqlText.MatchString(a.literalText(n))
		}
		if rv == nil || !rv.whole {
			c.whole = false
		}
		return c
	}
	c := in.copy()
	c.weak, c.rootChain, c.whole = true, false, false
	return c
}

// localCallee returns the definitions of a call to a function of this file.
func (a *analyzer) localCallee(sc *scope, fn *lang.Node) []*lang.Node {
	if fn == nil {
		return nil
	}
	name := ""
	switch {
	case a.syn.ident[fn.Kind]:
		name = a.text(fn)
		if _, imported := a.alias[name]; imported {
			return nil
		}
		if _, shadowed := sc.env[name]; shadowed {
			return nil
		}
	case a.syn.member[fn.Kind]:
		obj, prop := a.memberParts(fn)
		o := a.text(obj)
		if o != "this" && o != "self" && o != "cls" && !(a.lang == lang.Go && a.eval(sc, obj, 0) == nil && a.alias[o] == "") {
			return nil
		}
		name = prop
	default:
		return nil
	}
	return a.funcs[name]
}

// secretCall recognises os.environ.get("SECRET"), os.getenv and os.Getenv.
func (a *analyzer) secretCall(name string, args []*lang.Node) string {
	switch name {
	case "os.environ.get", "os.getenv", "os.Getenv":
	default:
		return ""
	}
	if len(args) == 0 || !a.isStringLit(args[0]) {
		return ""
	}
	v := lang.Unquote(a.text(args[0]))
	if secretName.MatchString(v) {
		return name + "(" + a.text(args[0]) + ")"
	}
	return ""
}

// sink describes the data-flow sink a call is, if any.
type sink struct {
	class   string
	args    []*lang.Node // arguments that must not carry event data
	maxConf string
	msg     string
	// needSQL requires the value to be built with SQL text; needObject
	// requires it not to be a plain string.
	needSQL, needObject bool
}

// checkCall reports sinks and local checks at a call.
func (a *analyzer) checkCall(sc *scope, n *lang.Node) {
	fn, args, kw := a.callParts(n)
	if fn == nil {
		return
	}
	name := a.canon(fn)
	if n.Kind == "new_expression" {
		name = "new " + name
	}
	method := lastSeg(name)
	var recv *lang.Node
	if a.syn.member[fn.Kind] {
		recv, _ = a.memberParts(fn)
	}
	var sinks []sink
	switch a.lang {
	case lang.Python:
		sinks = a.pySinks(name, method, recv, args, kw)
	case lang.Go:
		sinks = a.goSinks(sc, name, method, recv, args)
		a.goOutParams(sc, n, name, recv, args)
	default:
		sinks = a.jsSinks(name, method, recv, args)
	}
	for _, s := range sinks {
		a.reportSink(sc, n, name, s)
	}
	a.checkJWT(sc, n, name, method, args, kw)
	a.checkLog(sc, n, name, method, recv, args)
	if name == "ssl._create_unverified_context" {
		a.local(n, TLSDisabled, name, ConfidenceHigh, "ssl._create_unverified_context() disables certificate verification")
	}
}

func (a *analyzer) reportSink(sc *scope, call *lang.Node, name string, s sink) {
	bit := classBits[s.class]
	reached := false
	for _, arg := range s.args {
		if arg == nil {
			continue
		}
		v := a.eval(sc, arg, 0)
		if v == nil || !v.event || v.cleared&bit != 0 {
			continue
		}
		if s.needSQL && !v.sql && !sqlText.MatchString(a.literalText(arg)) {
			continue
		}
		if s.needObject && v.str {
			continue
		}
		reached = true
		conf := ConfidenceHigh
		if v.weak {
			conf = ConfidenceMedium
		}
		if s.maxConf == ConfidenceMedium && conf == ConfidenceHigh {
			conf = ConfidenceMedium
		}
		path := append(append([]Step(nil), v.path...), Step{Line: call.Line, Expr: short(a.text(call))})
		a.findings = append(a.findings, Finding{
			Class: s.class, Line: call.Line, Column: call.Col, Sink: name, Source: v.source, SourceLine: v.srcLine,
			Path: path, Confidence: conf, Message: fmt.Sprintf("%s reaches %s: %s", v.source, name, s.msg),
		})
		break
	}
	if !reached && (s.class == CommandInjection || s.class == CodeInjection || s.class == Deserialization || s.class == TemplateInjection) {
		for _, arg := range s.args {
			if arg != nil && !a.isStringLit(arg) && !a.syn.funcLit[arg.Kind] && arg.Kind != "array" && arg.Kind != "list" {
				a.notes = append(a.notes, fmt.Sprintf("info: %s:%d: %s (%s) with a non-constant argument that no event data reaches", a.f.Path, call.Line, name, s.class))
				break
			}
		}
	}
}

// local records a finding that needs no data flow.
func (a *analyzer) local(n *lang.Node, class, sinkName, conf, msg string) {
	a.findings = append(a.findings, Finding{Class: class, Line: n.Line, Column: n.Col, Sink: sinkName, Confidence: conf, Message: msg,
		Path: []Step{{Line: n.Line, Expr: short(a.text(n))}}})
}

func argAt(args []*lang.Node, i int) *lang.Node {
	if i < len(args) {
		return args[i]
	}
	return nil
}

var (
	unsafeYAMLSchema = regexp.MustCompile(`FULL_SCHEMA|unsafe`)
	shellOption      = regexp.MustCompile(`shell\s*:\s*(true|['"]/bin/)`)
	httpClient       = regexp.MustCompile(`(?i)client`)
	goLogMethod      = regexp.MustCompile(`^(Print|Info|Debug|Warn|Error|Fatal|Panic|Trace)`)
	dbRecv           = regexp.MustCompile(`(?i)(^|[._])(db|conn|connection|pool|client|cursor|cur|sql|database|knex|sequelize|prisma|pg|mysql|tx|trx|session|engine|sqlite|c)\b`)
	mongoRecv        = regexp.MustCompile(`(?i)(coll|collection|mongo|model|users|db|repo)|\)$|\]$`)
)

// has reports whether s is one of the space-separated words in list.
func has(list string, s string) bool {
	for list != "" {
		var w string
		w, list, _ = strings.Cut(list, " ")
		if w == s {
			return true
		}
	}
	return false
}

func (a *analyzer) jsSinks(name, method string, recv *lang.Node, args []*lang.Node) []sink {
	a0 := argAt(args, 0)
	var out []sink
	switch {
	case has("child_process.exec child_process.execSync shelljs.exec execa.command execa.commandSync execa.execaCommand execa.execaCommandSync", name):
		out = append(out, sink{class: CommandInjection, args: []*lang.Node{a0}, msg: "a shell command built from event data"})
	case has("child_process.spawn child_process.spawnSync child_process.execFile child_process.execFileSync", name):
		if a.shellTrue(args) {
			out = append(out, sink{class: CommandInjection, args: args, msg: "a process started with shell: true"})
		} else {
			out = append(out, sink{class: CommandInjection, args: []*lang.Node{a0}, maxConf: ConfidenceMedium, msg: "the program to run comes from event data"})
		}
	case jsCodeSinks[name]:
		out = append(out, sink{class: CodeInjection, args: args, msg: "event data is evaluated as code"})
	case (name == "setTimeout" || name == "setInterval") && a0 != nil && (a.syn.str[a0.Kind] || a0.Kind == "binary_expression"):
		out = append(out, sink{class: CodeInjection, args: []*lang.Node{a0}, msg: "a string timer callback is evaluated as code"})
	case name == "require" && a0 != nil && !a.isStringLit(a0):
		out = append(out, sink{class: CodeInjection, args: []*lang.Node{a0}, maxConf: ConfidenceMedium, msg: "a module path from event data is loaded"})
	case has("query execute raw $queryRawUnsafe $executeRawUnsafe run all get exec prepare each", method) && recv != nil:
		if has("query execute raw $queryRawUnsafe $executeRawUnsafe prepare", method) || dbRecv.MatchString(a.text(recv)) {
			out = append(out, sink{class: SQLInjection, args: []*lang.Node{a0}, needSQL: true, msg: "a SQL statement built from event data; use placeholders"})
		}
	}
	if recv != nil && has("find findOne findOneAndUpdate findOneAndDelete findOneAndReplace updateOne updateMany deleteOne deleteMany countDocuments replaceOne aggregate", method) && mongoRecv.MatchString(a.text(recv)) {
		out = append(out, sink{class: NoSQLInjection, args: []*lang.Node{a0}, needObject: true, msg: "a query object taken from event data can carry operators ($ne, $where)"})
	}
	if (strings.HasPrefix(name, "fs.") || strings.HasPrefix(name, "fs/promises.") || strings.HasPrefix(name, "fs-extra.")) &&
		has("readFile readFileSync createReadStream createWriteStream writeFile writeFileSync appendFile appendFileSync unlink unlinkSync readdir readdirSync open openSync rm rmSync copyFile copyFileSync rename renameSync stat statSync access mkdir mkdirSync", method) {
		// Only copy and rename take two paths; the second argument of
		// writeFile and appendFile is the data, which may come from events.
		n := 1
		if has("copyFile copyFileSync rename renameSync", method) {
			n = 2
		}
		out = append(out, sink{class: PathTraversal, args: args[:min(len(args), n)], msg: "a file path built from event data"})
	}
	if has("res.sendFile res.download reply.sendFile", normKey(name)) {
		out = append(out, sink{class: PathTraversal, args: []*lang.Node{a0}, msg: "a file path built from event data"})
	}
	ssrfMods := "fetch node-fetch axios got request superagent needle undici cross-fetch isomorphic-fetch"
	mod, verb, _ := strings.Cut(name, ".")
	if has(ssrfMods, name) || has(ssrfMods, mod) && has("get post put patch delete head request fetch", verb) ||
		has("http.get http.request https.get https.request", name) {
		out = append(out, sink{class: SSRF, args: []*lang.Node{a0}, msg: "an outbound request to a URL from event data"})
	}
	switch {
	case name == "node-serialize.unserialize" || name == "funcster.deepDeserialize" || name == "cryo.parse":
		out = append(out, sink{class: Deserialization, args: []*lang.Node{a0}, msg: "untrusted data deserialised with a library that can run code"})
	case (name == "js-yaml.load" || name == "js-yaml.loadAll") && len(args) > 1 && unsafeYAMLSchema.MatchString(a.text(args[1])):
		out = append(out, sink{class: Deserialization, args: []*lang.Node{a0}, msg: "YAML loaded with a schema that can construct functions"})
	case has("ejs.render ejs.compile handlebars.compile handlebars.precompile pug.compile pug.render nunjucks.renderString lodash.template underscore.template mustache.render dot.template eta.render", strings.ToLower(name)):
		out = append(out, sink{class: TemplateInjection, args: []*lang.Node{a0}, msg: "a template compiled from event data (server-side template injection)"})
	}
	return out
}

func (a *analyzer) shellTrue(args []*lang.Node) bool {
	for _, arg := range args {
		if arg.Kind == "object" && shellOption.MatchString(a.text(arg)) {
			return true
		}
	}
	return false
}

func (a *analyzer) pySinks(name, method string, recv *lang.Node, args []*lang.Node, kw map[string]*lang.Node) []sink {
	a0 := argAt(args, 0)
	if a0 == nil {
		a0 = kw["args"]
	}
	var out []sink
	switch {
	case has("os.system os.popen commands.getoutput subprocess.getoutput subprocess.getstatusoutput", name):
		out = append(out, sink{class: CommandInjection, args: []*lang.Node{a0}, msg: "a shell command built from event data"})
	case has("subprocess.run subprocess.call subprocess.check_call subprocess.check_output subprocess.Popen", name):
		if sh := kw["shell"]; sh != nil && a.text(sh) == "True" {
			out = append(out, sink{class: CommandInjection, args: []*lang.Node{a0}, msg: "a command run with shell=True"})
		} else if a0 != nil && a0.Kind != "list" && a0.Kind != "tuple" {
			out = append(out, sink{class: CommandInjection, args: []*lang.Node{a0}, maxConf: ConfidenceMedium, msg: "the program to run comes from event data"})
		}
	case strings.HasPrefix(name, "os.exec") || strings.HasPrefix(name, "os.spawn"):
		out = append(out, sink{class: CommandInjection, args: args, maxConf: ConfidenceMedium, msg: "the program to run comes from event data"})
	case has("eval exec compile builtins.eval builtins.exec", name):
		out = append(out, sink{class: CodeInjection, args: []*lang.Node{a0}, msg: "event data is evaluated as code"})
	case has("importlib.import_module __import__", name):
		out = append(out, sink{class: CodeInjection, args: []*lang.Node{a0}, maxConf: ConfidenceMedium, msg: "a module named by event data is imported"})
	case has("execute executemany executescript raw mogrify", method) && recv != nil || has("sqlalchemy.text pandas.read_sql", name):
		out = append(out, sink{class: SQLInjection, args: []*lang.Node{a0}, needSQL: true, msg: "a SQL statement built from event data; pass parameters separately"})
	case has("open io.open codecs.open os.open os.remove os.unlink os.rmdir os.listdir os.scandir os.makedirs shutil.rmtree shutil.copy shutil.copyfile shutil.move tarfile.open zipfile.ZipFile send_file flask.send_file", name):
		out = append(out, sink{class: PathTraversal, args: args[:min(len(args), 2)], msg: "a file path built from event data"})
	case has("pickle.loads pickle.load cPickle.loads _pickle.loads dill.loads jsonpickle.decode marshal.loads pandas.read_pickle yaml.unsafe_load yaml.unsafe_load_all shelve.open", name):
		out = append(out, sink{class: Deserialization, args: []*lang.Node{a0}, msg: "untrusted data deserialised with a loader that can construct objects"})
	case name == "yaml.load" || name == "yaml.load_all":
		loader := kw["Loader"]
		if loader == nil {
			loader = argAt(args, 1)
		}
		if loader == nil || !strings.Contains(a.text(loader), "Safe") && !strings.Contains(a.text(loader), "BaseLoader") {
			out = append(out, sink{class: Deserialization, args: []*lang.Node{a0}, msg: "yaml.load without SafeLoader can construct objects"})
		}
	case has("jinja2.Template flask.render_template_string render_template_string mako.template.Template django.template.Template jinja2.Environment.from_string", name) || method == "from_string":
		out = append(out, sink{class: TemplateInjection, args: []*lang.Node{a0}, msg: "a template compiled from event data (server-side template injection)"})
	}
	if recv != nil && has("find find_one find_one_and_update find_one_and_delete update_one update_many delete_one delete_many count_documents aggregate replace_one", method) &&
		mongoRecv.MatchString(a.text(recv)) {
		out = append(out, sink{class: NoSQLInjection, args: []*lang.Node{a0}, needObject: true, msg: "a query object taken from event data can carry operators ($ne, $where)"})
	}
	mod, verb, _ := strings.Cut(name, ".")
	if has("requests httpx", mod) && has("get post put patch delete head options request", verb) {
		u := kw["url"]
		if u == nil {
			u = a0
			if verb == "request" {
				u = argAt(args, 1)
			}
		}
		out = append(out, sink{class: SSRF, args: []*lang.Node{u}, msg: "an outbound request to a URL from event data"})
	}
	if has("urllib.request.urlopen urllib.request.Request urllib2.urlopen urllib3.request", name) {
		out = append(out, sink{class: SSRF, args: []*lang.Node{a0}, msg: "an outbound request to a URL from event data"})
	}
	return out
}

func (a *analyzer) goSinks(sc *scope, name, method string, recv *lang.Node, args []*lang.Node) []sink {
	var out []sink
	switch name {
	case "os/exec.Command", "os/exec.CommandContext":
		rest := args
		if name == "os/exec.CommandContext" && len(rest) > 0 {
			rest = rest[1:]
		}
		if len(rest) > 2 && a.text(rest[1]) == `"-c"` {
			out = append(out, sink{class: CommandInjection, args: rest[2:], msg: "a shell command (sh -c) built from event data"})
		} else if len(rest) > 0 {
			out = append(out, sink{class: CommandInjection, args: rest[:1], maxConf: ConfidenceMedium, msg: "the program to run comes from event data"})
		}
	case "os.Open", "os.OpenFile", "os.ReadFile", "os.WriteFile", "os.Create", "os.Remove", "os.RemoveAll", "os.ReadDir",
		"os.Mkdir", "os.MkdirAll", "io/ioutil.ReadFile", "io/ioutil.WriteFile", "os.DirFS":
		out = append(out, sink{class: PathTraversal, args: args[:min(1, len(args))], msg: "a file path built from event data"})
	case "net/http.ServeFile":
		out = append(out, sink{class: PathTraversal, args: []*lang.Node{argAt(args, 2)}, msg: "a file path built from event data"})
	case "net/http.Get", "net/http.Head", "net/http.Post", "net/http.PostForm":
		out = append(out, sink{class: SSRF, args: []*lang.Node{argAt(args, 0)}, msg: "an outbound request to a URL from event data"})
	case "net/http.NewRequest":
		out = append(out, sink{class: SSRF, args: []*lang.Node{argAt(args, 1)}, msg: "an outbound request to a URL from event data"})
	case "net/http.NewRequestWithContext":
		out = append(out, sink{class: SSRF, args: []*lang.Node{argAt(args, 2)}, msg: "an outbound request to a URL from event data"})
	}
	if recv != nil {
		switch {
		case has("Query QueryRow Exec Prepare Raw Select Get", method):
			out = append(out, sink{class: SQLInjection, args: []*lang.Node{argAt(args, 0)}, needSQL: true, msg: "a SQL statement built from event data; use placeholders"})
		case has("QueryContext QueryRowContext ExecContext PrepareContext SelectContext GetContext", method):
			out = append(out, sink{class: SQLInjection, args: []*lang.Node{argAt(args, 1)}, needSQL: true, msg: "a SQL statement built from event data; use placeholders"})
		case method == "Parse" && strings.Contains(name, "template."):
			out = append(out, sink{class: TemplateInjection, args: []*lang.Node{argAt(args, 0)}, msg: "a template parsed from event data (server-side template injection)"})
		case has("Get Post Head", method) && httpClient.MatchString(a.text(recv)):
			out = append(out, sink{class: SSRF, args: []*lang.Node{argAt(args, 0)}, msg: "an outbound request to a URL from event data"})
		}
	}
	return out
}

// goOutParams gives &x arguments the value of a call's inputs:
// json.Unmarshal([]byte(req.Body), &body) taints body.
func (a *analyzer) goOutParams(sc *scope, n *lang.Node, name string, recv *lang.Node, args []*lang.Node) {
	var in *value
	if recv != nil {
		in = a.eval(sc, recv, 0)
	}
	for _, arg := range args {
		if arg.Kind != "unary_expression" {
			in = union(in, a.eval(sc, arg, 0))
		}
	}
	if in == nil {
		return
	}
	known := strings.HasSuffix(name, "Unmarshal") || strings.HasSuffix(name, ".Decode") || strings.HasSuffix(name, "Sscanf") || strings.HasSuffix(name, "Sscan")
	for _, arg := range args {
		if arg.Kind == "unary_expression" && a.text(arg.ChildByField("operator")) == "&" {
			v := in.withStep(n.Line, a.text(n))
			v.weak = v.weak || !known
			v.rootChain, v.whole = false, false
			a.bind(sc, arg.ChildByField("operand"), v, n.Line, "")
		}
	}
}

var jsCodeSinks = set("eval", "Function", "new Function", "vm.runInNewContext", "vm.runInThisContext", "vm.runInContext",
	"vm.compileFunction", "new vm.Script", "new vm.SourceTextModule")

var dynExprKeys = set("FilterExpression", "KeyConditionExpression", "ConditionExpression", "UpdateExpression", "ProjectionExpression")

// checkNode runs the checks that look at one construct rather than a call:
// TLS options, DynamoDB expression strings, TLS environment switches.
func (a *analyzer) checkNode(sc *scope, n *lang.Node) {
	var key string
	var val *lang.Node
	switch n.Kind {
	case "pair":
		key, val = lang.Unquote(a.text(n.ChildByField("key"))), n.ChildByField("value")
	case "keyword_argument":
		key, val = a.text(n.ChildByField("name")), n.ChildByField("value")
	case "keyed_element":
		ch := n.NamedChildren()
		if len(ch) == 2 {
			key, val = a.text(ch[0]), ch[1]
		}
	case "assignment_expression", "assignment", "assignment_statement":
		l, r := normKey(a.text(n.ChildByField("left"))), lang.Unquote(a.text(n.ChildByField("right")))
		switch {
		case strings.HasSuffix(l, "NODE_TLS_REJECT_UNAUTHORIZED") || strings.Contains(l, "NODE_TLS_REJECT_UNAUTHORIZED"):
			if r == "0" {
				a.local(n, TLSDisabled, "NODE_TLS_REJECT_UNAUTHORIZED", ConfidenceHigh, "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification for the whole process")
			}
		case strings.HasSuffix(l, ".InsecureSkipVerify") && r == "true", strings.HasSuffix(l, ".check_hostname") && r == "False",
			strings.HasSuffix(l, ".verify_mode") && strings.HasSuffix(r, "CERT_NONE"), strings.HasSuffix(l, ".rejectUnauthorized") && r == "false",
			l == "ssl._create_default_https_context" && strings.Contains(r, "unverified"):
			a.local(n, TLSDisabled, l, ConfidenceHigh, "certificate verification is turned off")
		}
		return
	default:
		return
	}
	if val == nil {
		return
	}
	vt := a.text(val)
	switch {
	case key == "rejectUnauthorized" && vt == "false", key == "InsecureSkipVerify" && vt == "true":
		a.local(n, TLSDisabled, key, ConfidenceHigh, key+": "+vt+" turns off certificate verification")
	case key == "verify" && vt == "False" && !a.inJWTCall(n):
		a.local(n, TLSDisabled, "verify=False", ConfidenceHigh, "verify=False turns off certificate verification")
	case dynExprKeys[key]:
		// Expression strings built from event data are the risk; condition
		// builders (Attr("x").eq(v), expression.Name) are not.
		if v := a.eval(sc, val, 0); v != nil && v.event && (v.str || !v.weak) {
			conf := ConfidenceHigh
			if v.weak {
				conf = ConfidenceMedium
			}
			a.findings = append(a.findings, Finding{Class: NoSQLInjection, Line: n.Line, Column: n.Col, Sink: "DynamoDB " + key,
				Source: v.source, SourceLine: v.srcLine, Confidence: conf,
				Path:    append(append([]Step(nil), v.path...), Step{Line: n.Line, Expr: short(a.text(n))}),
				Message: fmt.Sprintf("%s is built into a DynamoDB %s; pass values through ExpressionAttributeValues", v.source, key)})
		}
	}
}

func (a *analyzer) inJWTCall(n *lang.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if a.syn.call[p.Kind] {
			fn, _, _ := a.callParts(p)
			return strings.Contains(a.canon(fn), "jwt")
		}
	}
	return false
}

var (
	pyJWTNoVerify = regexp.MustCompile(`["']verify_signature["']\s*:\s*False`)
	noneAlg       = regexp.MustCompile(`(?i)["']none["']`)
)

// checkJWT reports tokens decoded without verifying their signature.
func (a *analyzer) checkJWT(sc *scope, n *lang.Node, name, method string, args []*lang.Node, kw map[string]*lang.Node) {
	unverified := false
	switch a.lang {
	case lang.Python:
		switch name {
		case "jwt.decode":
			opt := kw["options"]
			if opt == nil {
				opt = argAt(args, 3)
			}
			unverified = opt != nil && pyJWTNoVerify.MatchString(a.text(opt)) ||
				kw["verify"] != nil && a.text(kw["verify"]) == "False" ||
				kw["algorithms"] != nil && noneAlg.MatchString(a.text(kw["algorithms"]))
		case "jose.jwt.get_unverified_claims", "jwt.get_unverified_claims":
			unverified = true
		}
	case lang.Go:
		unverified = method == "ParseUnverified" && strings.Contains(name, "jwt")
	default:
		unverified = name == "jsonwebtoken.decode" || name == "jwt-decode" || name == "jwt-decode.jwtDecode" || name == "jwt-decode.default"
	}
	if !unverified {
		return
	}
	conf := ConfidenceMedium
	var src *value
	if t := argAt(args, 0); t != nil {
		if v := a.eval(sc, t, 0); v != nil && v.event {
			conf, src = ConfidenceHigh, v
		}
	}
	f := Finding{Class: JWTUnverified, Line: n.Line, Column: n.Col, Sink: name, Confidence: conf,
		Message: "a JWT is decoded without verifying its signature; its claims can be forged",
		Path:    []Step{{Line: n.Line, Expr: short(a.text(n))}}}
	if src != nil {
		f.Source, f.SourceLine = src.source, src.srcLine
		f.Path = append(append([]Step(nil), src.path...), f.Path...)
	}
	a.findings = append(a.findings, f)
}

// checkLog reports the whole event or a secret written to logs.
func (a *analyzer) checkLog(sc *scope, n *lang.Node, name, method string, recv *lang.Node, args []*lang.Node) {
	if !a.isLog(name, method, recv) {
		return
	}
	for _, arg := range args {
		v := a.eval(sc, arg, 0)
		if v == nil || !(v.whole && v.event || v.secret) {
			continue
		}
		what := "the whole event (request bodies, headers, tokens)"
		src := v.source
		if !v.whole || !v.event {
			what = "a secret"
		}
		a.findings = append(a.findings, Finding{Class: SensitiveLogging, Line: n.Line, Column: n.Col, Sink: name, Source: src,
			SourceLine: v.srcLine, Confidence: ConfidenceHigh,
			Path:    append(append([]Step(nil), v.path...), Step{Line: n.Line, Expr: short(a.text(n))}),
			Message: fmt.Sprintf("%s writes %s to the logs", name, what)})
		return
	}
}

var logRecv = regexp.MustCompile(`(?i)^(this\.|self\.)?(_?log|logger|_?logger|logging|console|log\w*|\w*logger)$`)

func (a *analyzer) isLog(name, method string, recv *lang.Node) bool {
	switch a.lang {
	case lang.Python:
		if name == "print" || name == "pprint.pprint" || name == "pprint" {
			return true
		}
		return recv != nil && logRecv.MatchString(a.text(recv)) && has("debug info warning warn error exception critical log", method)
	case lang.Go:
		if strings.HasPrefix(name, "log.") || strings.HasPrefix(name, "fmt.Print") || strings.HasPrefix(name, "fmt.Fprint") {
			return true
		}
		return recv != nil && logRecv.MatchString(a.text(recv)) && goLogMethod.MatchString(method)
	}
	if strings.HasPrefix(name, "console.") {
		return true
	}
	return recv != nil && logRecv.MatchString(a.text(recv)) && has("log info debug warn error trace fatal", method)
}
