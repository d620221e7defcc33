package serverless

import (
	"testing"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// FuzzLoad models arbitrary config bytes: it must never panic and always
// return the app.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add([]byte(varsDoc))
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFS{"inc.yml": "a: ${self:custom.a}\nb: [1, 2]\n"}
		app := &model.Application{Format: Name, File: "serverless.yml", Dir: "."}
		load(app, files, loader.Options{Stage: "dev"}, data)
		_ = model.Dump(app)
		for _, e := range app.Embedded {
			e.Resolve("${self:service}-${opt:stage}")
		}
	})
}

// FuzzResolve resolves an arbitrary expression as the value of a key of a
// config with cross references: it must terminate without panicking.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"${self:custom.a}", "${self:custom.${opt:stage}.x, 'd'}", "${file(./inc.yml):a}",
		"${env:X}", "pre-${ssm:/p}-post", "${self:x}", "${{}}", "${opt:a, opt:b, 1}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		doc := []byte("service: s\ncustom:\n  a: ${self:custom.b}\n  b: v\n  dev: {x: 1}\nx: " + quote(expr) + "\n")
		root, err := yamlx.Parse("serverless.yml", doc, yamlx.DefaultLimits)
		if err != nil {
			return
		}
		r := newResolver(memFS{"inc.yml": "a: ${self:x}\n"}, loader.Options{Stage: "dev"}, "serverless.yml", root)
		r.Node(root)
		r.String(expr)
	})
}
