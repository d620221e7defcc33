package analysis

import (
	"errors"
	"runtime"
	"sync"

	"github.com/faasguard/faasguard/code/lang"
	"github.com/faasguard/faasguard/code/sdkcalls"
	"github.com/faasguard/faasguard/code/taint"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// parallel runs f(0..n-1) on every core. Callers write results into their
// own slot of a slice, so no locking is needed.
func parallel(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// source is what the code analysers found in one handler file: its SDK
// calls, and the taint findings from each handler symbol defined in it.
type source struct {
	file, lang string
	app        *model.Application // for notes
	symbols    []string
	src        []byte
	calls      []sdkcalls.Call
	findings   map[string][]model.CodeFinding // by handler symbol
	notes      []string
}

// analyseSources parses each handler file once, in parallel, and runs the
// SDK-call extractor and the taint walker (once per handler symbol) on it.
func analyseSources(apps []*model.Application, t *loader.Tree) map[string]*source {
	byFile := map[string]*source{}
	var list []*source
	for _, app := range apps {
		for _, fn := range app.Functions {
			c := fn.Code
			if c == nil || c.EntryFile == "" {
				continue
			}
			s, ok := byFile[c.EntryFile]
			if !ok {
				s = &source{file: c.EntryFile, lang: c.Language, app: app, findings: map[string][]model.CodeFinding{}}
				byFile[c.EntryFile] = s
				list = append(list, s)
			}
			if _, seen := s.findings[c.Symbol]; !seen {
				s.findings[c.Symbol] = nil
				s.symbols = append(s.symbols, c.Symbol)
			}
		}
	}
	parallel(len(list), func(i int) { list[i].analyse(t) })
	for _, s := range list {
		for _, n := range s.notes {
			s.app.Notef(model.NoteInfo, model.Pos{File: s.file}, "%s", n)
		}
	}
	return byFile
}

func (s *source) analyse(t *loader.Tree) {
	src, err := t.Read(s.file)
	if err != nil {
		s.notes = append(s.notes, "handler source not analysed: "+err.Error())
		return
	}
	s.src = src
	f, err := lang.Parse(s.file, src, s.lang)
	if err != nil {
		if !errors.Is(err, lang.ErrSkipped) {
			err = errors.New("handler source not analysed: " + err.Error())
		}
		s.notes = append(s.notes, err.Error())
		return
	}
	s.calls = sdkcalls.ExtractParsed(f, s.lang)
	for _, sym := range s.symbols {
		res := taint.AnalyzeParsed(f, sym, taint.Options{})
		if sym == s.symbols[0] {
			s.notes = append(s.notes, res.Notes...)
		}
		var fs []model.CodeFinding
		for _, x := range res.Findings {
			cf := model.CodeFinding{Kind: x.Class, Pos: model.Pos{File: s.file, Line: x.Line, Col: x.Column},
				Message: x.Message, Confidence: x.Confidence,
				Detail: map[string]string{"sink": x.Sink, "source": x.Source}}
			for _, st := range x.Path {
				cf.Trace = append(cf.Trace, model.Pos{File: s.file, Line: st.Line})
				cf.TraceText = append(cf.TraceText, st.Expr)
			}
			fs = append(fs, cf)
		}
		s.findings[sym] = fs
	}
}

// taintFunctions records each function's taint findings.
func taintFunctions(apps []*model.Application, sources map[string]*source) {
	for _, app := range apps {
		for _, fn := range app.Functions {
			if c := fn.Code; c != nil && c.EntryFile != "" {
				if s := sources[c.EntryFile]; s != nil {
					c.Findings = append(c.Findings, s.findings[c.Symbol]...)
				}
			}
		}
	}
}
