package taint

import (
	"strings"
	"testing"

	"github.com/faasguard/faasguard/code/lang"
)

// TestSnippets covers sinks, sanitisers and propagation rules one line at
// a time. Each body is wrapped in a handler whose event parameter is
// "event"; want is "class/confidence" of the single expected finding, or
// "" for none.
func TestSnippets(t *testing.T) {
	js := func(head, body string) string {
		return head + "\nexports.handler = async (event) => {\n" + body + "\n};\n"
	}
	py := func(head, body string) string {
		return head + "\ndef lambda_handler(event, context):\n    " + strings.ReplaceAll(body, "\n", "\n    ") + "\n"
	}
	goSrc := func(imports, body string) string {
		return "package main\nimport (\n" + imports + "\n\"github.com/aws/aws-lambda-go/lambda\"\n)\n" +
			"func h(ctx context.Context, event events.APIGatewayProxyRequest) error {\n" + body + "\nreturn nil\n}\n" +
			"func main() { lambda.Start(h) }\n"
	}
	tests := []struct {
		name, lang, src, want string
	}{
		{"js new Function", lang.JavaScript, js("", "const f = new Function('a', event.body);"), "code-injection/high"},
		{"js setTimeout string", lang.JavaScript, js("", "setTimeout('run(' + event.body + ')', 10);"), "code-injection/high"},
		{"js setTimeout function", lang.JavaScript, js("", "setTimeout(() => run(event.body), 10);"), ""},
		{"js spawn program", lang.JavaScript, js("const cp = require('child_process');", "cp.spawn(event.body, []);"), "command-injection/medium"},
		{"js execFile args", lang.JavaScript, js("const cp = require('child_process');", "cp.execFile('/bin/ls', [event.body]);"), ""},
		{"js js-yaml unsafe", lang.JavaScript, js("const yaml = require('js-yaml');", "yaml.load(event.body, { schema: yaml.DEFAULT_FULL_SCHEMA });"), "deserialization/high"},
		{"js js-yaml default", lang.JavaScript, js("const yaml = require('js-yaml');", "yaml.load(event.body);"), ""},
		{"js handlebars", lang.JavaScript, js("const Handlebars = require('handlebars');", "Handlebars.compile(JSON.parse(event.body).tpl);"), "template-injection/high"},
		{"js unknown call weakens", lang.JavaScript, js("const { exec } = require('child_process');", "exec(transform(event.body));"), "command-injection/medium"},
		{"js encodeURIComponent", lang.JavaScript, js("const { exec } = require('child_process');", "exec('echo ' + encodeURIComponent(event.body));"), ""},
		{"js length is a number", lang.JavaScript, js("const { exec } = require('child_process');", "exec('echo ' + event.body.length);"), ""},
		{"js reassigned constant", lang.JavaScript, js("const { exec } = require('child_process');", "let c = event.body; c = 'ls'; exec(c);"), ""},
		{"js got ssrf", lang.JavaScript, js("const got = require('got');", "await got.post(event.headers.callback);"), "ssrf/high"},
		{"js writeFile", lang.JavaScript, js("import { writeFile } from 'fs/promises';", "await writeFile(`/tmp/${event.pathParameters.name}`, 'x');"), "path-traversal/high"},
		{"js mongo find string", lang.JavaScript, js("", "await db.collection('u').find(`${event.body}`);"), ""},
		{"js dynamo query not sql", lang.JavaScript, js("", "await docClient.query({ TableName: 't', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': event.id } }).promise();"), ""},
		{"js log member only", lang.JavaScript, js("", "console.log(event.requestContext.requestId);"), ""},
		{"js log object with event", lang.JavaScript, js("", "logger.info({ event });"), "sensitive-logging/high"},
		{"js guard then-branch only", lang.JavaScript, js("const { exec } = require('child_process');", "const c = event.body;\nif (OK.includes(c)) { exec(c); } else { exec('echo ' + c); }"), "command-injection/high"},
		{"js negated guard without return", lang.JavaScript, js("const { exec } = require('child_process');", "const c = event.body;\nif (!OK.includes(c)) { log(c); }\nexec(c);"), "command-injection/high"},
		{"js indexOf -1 return", lang.JavaScript, js("const { exec } = require('child_process');", "const c = event.body;\nif (OK.indexOf(c) === -1) { return; }\nexec(c);"), ""},
		{"js guard else throws", lang.JavaScript, js("const { exec } = require('child_process');", "const c = event.body;\nif (OK.has(c)) { log(c); } else { throw new Error('no'); }\nexec(c);"), ""},
		{"py elif guard", lang.Python, py("import os", "c = event['c']\nif c not in OK:\n    raise ValueError(c)\nelif c == 'x':\n    pass\nos.system(c)"), ""},
		{"go comma ok", lang.Go, goSrc("\"os/exec\"", "c := event.Body\nif _, ok := allowed[c]; !ok { return nil }\nexec.Command(\"sh\", \"-c\", c).Run()"), ""},
		{"go comma ok wrong branch", lang.Go, goSrc("\"os/exec\"", "c := event.Body\nif _, ok := allowed[c]; !ok { exec.Command(\"sh\", \"-c\", c).Run() }"), "command-injection/high"},
		{"py helper reads framework request", lang.Python, py("import os\nfrom flask import Flask, request\napp = Flask(__name__)\ndef name():\n    return request.args['n']\n@app.route('/x')\ndef x():\n    os.system('ls ' + name())", "pass"), "command-injection/high"},
		{"py popen", lang.Python, py("import os", "os.popen('ls ' + event['dir'])"), "command-injection/high"},
		{"py Popen program", lang.Python, py("import subprocess", "subprocess.Popen(event['prog'])"), "command-injection/medium"},
		{"py shlex quote", lang.Python, py("import os, shlex", "os.system('ls ' + shlex.quote(event['dir']))"), ""},
		{"py jsonpickle", lang.Python, py("import jsonpickle", "jsonpickle.decode(event['body'])"), "deserialization/high"},
		{"py yaml safe_load", lang.Python, py("import yaml", "yaml.safe_load(event['body'])"), ""},
		{"py render_template_string", lang.Python, py("from flask import render_template_string", "render_template_string(event['body'])"), "template-injection/high"},
		{"py httpx", lang.Python, py("import httpx", "httpx.get(url=event['queryStringParameters']['u'])"), "ssrf/high"},
		{"py secure_filename", lang.Python, py("from werkzeug.utils import secure_filename", "open('/tmp/' + secure_filename(event['name']))"), ""},
		{"py percent sql", lang.Python, py("", "cursor.execute('DELETE FROM t WHERE id = %s' % event['id'])"), "sql-injection/high"},
		{"py params sql", lang.Python, py("", "cursor.execute('DELETE FROM t WHERE id = %s', (event['id'],))"), ""},
		{"py comprehension", lang.Python, py("import os", "[os.system(r['body']) for r in event['Records']]"), "command-injection/high"},
		{"py walrus", lang.Python, py("import os", "if (c := event.get('cmd')):\n    os.system(c)"), "command-injection/high"},
		{"py regex guard", lang.Python, py("import os, re", "name = event['name']\nif not re.fullmatch(r'[a-z]+', name):\n    return\nos.system('ls ' + name)"), ""},
		{"py log event", lang.Python, py("", "print(event)"), "sensitive-logging/high"},
		{"py pyjwt none alg", lang.Python, py("import jwt", "jwt.decode(event['token'], key, algorithms=['none'])"), "jwt-unverified/high"},
		{"py verify false requests", lang.Python, py("import requests", "requests.post('https://x', verify=False)"), "tls-verification-disabled/high"},
		{"go http.Get", lang.Go, goSrc("\"net/http\"", "http.Get(event.QueryStringParameters[\"u\"])"), "ssrf/high"},
		{"go os.Open", lang.Go, goSrc("\"os\"", "os.Open(\"/tmp/\" + event.PathParameters[\"f\"])"), "path-traversal/high"},
		{"go filepath.Base", lang.Go, goSrc("\"os\"\n\"path/filepath\"", "os.Open(filepath.Join(\"/tmp\", filepath.Base(event.Body)))"), ""},
		{"go Atoi", lang.Go, goSrc("\"os/exec\"\n\"strconv\"", "n, _ := strconv.Atoi(event.Body)\nexec.Command(\"sh\", \"-c\", fmt.Sprintf(\"seq %d\", n)).Run()"), ""},
		{"go slices.Contains", lang.Go, goSrc("\"os/exec\"\n\"slices\"", "c := event.Body\nif !slices.Contains(allowed, c) { return nil }\nexec.Command(\"sh\", \"-c\", c).Run()"), ""},
		{"go exec args", lang.Go, goSrc("\"os/exec\"", "exec.Command(\"convert\", event.Body, \"out.png\").Run()"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sym := handlerFor[tc.lang]
			res, err := AnalyzeFile("snippet", []byte(tc.src), tc.lang, sym, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Class+"/"+f.Confidence)
			}
			want := []string{}
			if tc.want != "" {
				want = []string{tc.want}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %v, want %v\n%s\nfindings: %+v\nnotes: %v", got, want, tc.src, res.Findings, res.Notes)
			}
		})
	}
}

// TestCloudFunctionGo checks a GCP Go entry point: the request, not the
// ResponseWriter, is the event.
func TestCloudFunctionGo(t *testing.T) {
	src := "package hello\nimport (\"net/http\"; \"os/exec\")\nfunc HelloHTTP(w http.ResponseWriter, r *http.Request) {\n\texec.Command(\"sh\", \"-c\", r.URL.Query().Get(\"c\")).Run()\n}\n"
	res, err := AnalyzeFile("f.go", []byte(src), lang.Go, "HelloHTTP", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Class != CommandInjection || res.Findings[0].Line != 4 {
		t.Errorf("findings = %+v, want one command-injection at line 4", res.Findings)
	}
}
