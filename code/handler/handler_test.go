package handler

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// tree writes files (path → content) under a fresh directory.
func tree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	return real
}

func TestResolve(t *testing.T) {
	root := tree(t, map[string]string{
		"svc/serverless.yml":                          "",
		"svc/package.json":                            `{"name":"x"}`,
		"svc/src/users.js":                            "exports.create = async (e) => {}",
		"svc/src/orders.ts":                           "export const list = async (e) => {}",
		"svc/py/handler.py":                           "def main(event, context): pass",
		"sam/template.yaml":                           "",
		"sam/hello/app.py":                            "def lambda_handler(event, context): pass",
		"sam/hello/requirements.txt":                  "",
		"sam/nested/pkg/mod.py":                       "def fn(event, context): pass",
		"sam/node/index.mjs":                          "export const handler = async () => {}",
		"sam/gofn/main.go":                            "package main\nfunc handle() {}\nfunc main() { lambda.Start(handle) }\n",
		"sam/gofn/go.mod":                             "module x",
		"sls-go/hello/main.go":                        "package main\nfunc main() { lambda.Start(Hello) }\n",
		"sls-go/world/main.go":                        "package main\nfunc main() { lambda.Start(World) }\n",
		"java/src/main/java/com/example/Handler.java": "class Handler {}",
		"tf/lambda/src/index.js":                      "exports.handler = async () => {}",
		"gcp/package.json":                            `{"main": "lib/server.js"}`,
		"gcp/lib/server.js":                           "exports.hello = (req, res) => {}",
		"gcp-py/main.py":                              "def entry(request): pass",
		"azure/fn/index.js":                           "module.exports = async function (context, req) {}",
		"gcp-go/function.go":                          "package hello\n\nfunc HelloHTTP(w http.ResponseWriter, r *http.Request) {}\n",
		"ts/src/api/get.ts":                           "export const handler = async () => {}",
	})
	abs := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	tests := []struct {
		name string
		spec Spec
		want Entry
	}{
		{"serverless node", Spec{Format: "serverless", Runtime: "nodejs20.x", Handler: "src/users.create", ConfigDir: "svc"},
			Entry{abs("svc/src/users.js"), "create", abs("svc"), "javascript"}},
		{"serverless typescript", Spec{Format: "serverless", Runtime: "nodejs20.x", Handler: "src/orders.list", ConfigDir: "svc"},
			Entry{abs("svc/src/orders.ts"), "list", abs("svc"), "typescript"}},
		{"serverless python path", Spec{Format: "serverless", Runtime: "python3.12", Handler: "py/handler.main", ConfigDir: "svc"},
			Entry{abs("svc/py/handler.py"), "main", abs("svc"), "python"}},
		{"sam python", Spec{Format: "sam", Runtime: "python3.12", Handler: "app.lambda_handler", CodeDir: "hello/", ConfigDir: "sam"},
			Entry{abs("sam/hello/app.py"), "lambda_handler", abs("sam/hello"), "python"}},
		{"sam python nested module", Spec{Format: "sam", Runtime: "python3.11", Handler: "pkg.mod.fn", CodeDir: "nested", ConfigDir: "sam"},
			Entry{abs("sam/nested/pkg/mod.py"), "fn", abs("sam/nested"), "python"}},
		{"sam node", Spec{Format: "sam", Runtime: "nodejs18.x", Handler: "index.handler", CodeDir: "node", ConfigDir: "sam"},
			Entry{abs("sam/node/index.mjs"), "handler", abs("sam/node"), "javascript"}},
		{"sam go bootstrap", Spec{Format: "sam", Runtime: "provided.al2023", Handler: "bootstrap", CodeDir: "gofn", ConfigDir: "sam"},
			Entry{abs("sam/gofn/main.go"), "handle", abs("sam/gofn"), "go"}},
		{"serverless go binary name", Spec{Format: "serverless", Runtime: "go1.x", Handler: "bin/world", ConfigDir: "sls-go"},
			Entry{abs("sls-go/world/main.go"), "World", abs("sls-go/world"), "go"}},
		{"java", Spec{Format: "sam", Runtime: "java21", Handler: "com.example.Handler::handleRequest", CodeDir: "java", ConfigDir: "."},
			Entry{abs("java/src/main/java/com/example/Handler.java"), "handleRequest", abs("java"), "java"}},
		{"terraform source_dir", Spec{Format: "terraform", Runtime: "nodejs20.x", Handler: "index.handler", CodeDir: "lambda/src", ConfigDir: "tf"},
			Entry{abs("tf/lambda/src/index.js"), "handler", abs("tf/lambda/src"), "javascript"}},
		{"gcp entry point via package main", Spec{Format: "gcp", Runtime: "nodejs20", Handler: "hello", CodeDir: ".", ConfigDir: "gcp"},
			Entry{abs("gcp/lib/server.js"), "hello", abs("gcp"), "javascript"}},
		{"gcp python", Spec{Format: "gcp", Runtime: "python312", Handler: "entry", ConfigDir: "gcp-py"},
			Entry{abs("gcp-py/main.py"), "entry", abs("gcp-py"), "python"}},
		{"compiled output not committed", Spec{Format: "serverless", Runtime: "nodejs20.x", Handler: "dist/api/get.handler", ConfigDir: "ts"},
			Entry{abs("ts/src/api/get.ts"), "handler", abs("ts"), "typescript"}},
		{"gcp go entry point", Spec{Format: "gcp", Runtime: "go121", Handler: "HelloHTTP", ConfigDir: "gcp-go"},
			Entry{abs("gcp-go/function.go"), "HelloHTTP", abs("gcp-go"), "go"}},
		{"azure script file", Spec{Format: "azure", Runtime: "node", Handler: "index.js", CodeDir: "fn", ConfigDir: "azure"},
			Entry{abs("azure/fn/index.js"), "", abs("azure/fn"), "javascript"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(root, tc.spec)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	outside := tree(t, map[string]string{"secret.js": "exports.handler = 1"})
	root := tree(t, map[string]string{
		"app/index.js":      "exports.handler = 1",
		"app/build/fn.zip":  "PK",
		"go/notmain/lib.go": "package lib",
	})
	if err := os.Symlink(filepath.Join(outside, "secret.js"), filepath.Join(root, "app", "evil.js")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		spec Spec
	}{
		{"missing file", Spec{Runtime: "nodejs20.x", Handler: "src/nope.handler", ConfigDir: "app"}},
		{"symlink file out of root", Spec{Runtime: "nodejs20.x", Handler: "evil.handler", ConfigDir: "app"}},
		{"symlink dir out of root", Spec{Runtime: "nodejs20.x", Handler: "secret.handler", CodeDir: "../escape", ConfigDir: "app"}},
		{"dotdot out of root", Spec{Runtime: "nodejs20.x", Handler: "secret.handler", CodeDir: "../../..", ConfigDir: "app"}},
		{"archive", Spec{Runtime: "nodejs20.x", Handler: "index.handler", CodeDir: "build/fn.zip", ConfigDir: "app"}},
		{"no go main", Spec{Runtime: "provided.al2023", Handler: "bootstrap", CodeDir: "notmain", ConfigDir: "go"}},
		{"unsupported runtime", Spec{Runtime: "ruby3.3", Handler: "x.y", ConfigDir: "app"}},
		{"empty handler", Spec{Runtime: "python3.12", Handler: "", ConfigDir: "app"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Resolve(root, tc.spec)
			if err == nil {
				t.Fatalf("Resolve = %+v, want error", e)
			}
			if !errors.Is(err, ErrUnresolved) {
				t.Errorf("error %v does not wrap ErrUnresolved", err)
			}
		})
	}
}

// FuzzResolve checks that no handler string or code directory panics or
// resolves to a file outside the root.
func FuzzResolve(f *testing.F) {
	f.Add("nodejs20.x", "src/users.create", "")
	f.Add("python3.12", "pkg.mod.fn", "../..")
	f.Add("java21", "com.example.Handler::handleRequest", "java")
	f.Add("provided.al2023", "bootstrap", "go")
	root := tree(f, map[string]string{
		"src/users.js": "exports.create = 1", "pkg/mod.py": "def fn(e, c): pass",
		"java/src/main/java/com/example/Handler.java": "class Handler {}", "go/main.go": "package main\nfunc main() {}\n",
	})
	f.Fuzz(func(t *testing.T, runtime, h, codeDir string) {
		e, err := Resolve(root, Spec{Runtime: runtime, Handler: h, CodeDir: codeDir})
		if err != nil {
			return
		}
		if !within(root, e.File) || !within(root, e.CodeRoot) && e.CodeRoot != root {
			t.Fatalf("resolved outside root: %+v", e)
		}
	})
}
