package analysis

import (
	"github.com/faasguard/faasguard/code/taint"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// taintFunctions runs the taint walker from each function's handler; files
// shared by several handlers are analysed once per handler symbol.
func taintFunctions(apps []*model.Application, t *loader.Tree) {
	type key struct{ file, symbol string }
	cache := map[key][]model.CodeFinding{}
	for _, app := range apps {
		for _, fn := range app.Functions {
			c := fn.Code
			if c == nil || c.EntryFile == "" {
				continue
			}
			k := key{c.EntryFile, c.Symbol}
			if fs, ok := cache[k]; ok {
				c.Findings = append(c.Findings, fs...)
				continue
			}
			src, err := t.Read(c.EntryFile)
			if err != nil {
				app.Notef(model.NoteInfo, model.Pos{File: c.EntryFile}, "handler source not analysed: %v", err)
				cache[k] = nil
				continue
			}
			res, err := taint.AnalyzeFile(c.EntryFile, src, c.Language, c.Symbol, taint.Options{})
			if err != nil {
				app.Notef(model.NoteInfo, model.Pos{File: c.EntryFile}, "handler source not analysed: %v", err)
			}
			for _, n := range res.Notes {
				app.Notef(model.NoteInfo, model.Pos{File: c.EntryFile}, "%s", n)
			}
			var fs []model.CodeFinding
			for _, f := range res.Findings {
				cf := model.CodeFinding{Kind: f.Class, Pos: model.Pos{File: c.EntryFile, Line: f.Line, Col: f.Column},
					Message: f.Message, Confidence: f.Confidence,
					Detail: map[string]string{"sink": f.Sink, "source": f.Source}}
				for _, s := range f.Path {
					cf.Trace = append(cf.Trace, model.Pos{File: c.EntryFile, Line: s.Line})
					cf.TraceText = append(cf.TraceText, s.Expr)
				}
				fs = append(fs, cf)
			}
			cache[k] = fs
			c.Findings = append(c.Findings, fs...)
		}
	}
}
