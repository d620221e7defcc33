package analysis

import (
	"runtime"
	"sync"

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

// taintFunctions runs the taint walker from each function's handler; a file
// shared by several handlers is analysed once per handler symbol, and the
// analyses run in parallel.
func taintFunctions(apps []*model.Application, t *loader.Tree) {
	type job struct {
		file, symbol, lang string
		app                *model.Application
		findings           []model.CodeFinding
		notes              []string
	}
	type key struct{ file, symbol string }
	index := map[key]int{}
	var jobs []*job
	for _, app := range apps {
		for _, fn := range app.Functions {
			if c := fn.Code; c != nil && c.EntryFile != "" {
				k := key{c.EntryFile, c.Symbol}
				if _, ok := index[k]; !ok {
					index[k] = len(jobs)
					jobs = append(jobs, &job{file: c.EntryFile, symbol: c.Symbol, lang: c.Language, app: app})
				}
			}
		}
	}
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		src, err := t.Read(j.file)
		if err != nil {
			j.notes = append(j.notes, "handler source not analysed: "+err.Error())
			return
		}
		res, err := taint.AnalyzeFile(j.file, src, j.lang, j.symbol, taint.Options{})
		if err != nil {
			j.notes = append(j.notes, "handler source not analysed: "+err.Error())
		}
		j.notes = append(j.notes, res.Notes...)
		for _, f := range res.Findings {
			cf := model.CodeFinding{Kind: f.Class, Pos: model.Pos{File: j.file, Line: f.Line, Col: f.Column},
				Message: f.Message, Confidence: f.Confidence,
				Detail: map[string]string{"sink": f.Sink, "source": f.Source}}
			for _, s := range f.Path {
				cf.Trace = append(cf.Trace, model.Pos{File: j.file, Line: s.Line})
				cf.TraceText = append(cf.TraceText, s.Expr)
			}
			j.findings = append(j.findings, cf)
		}
	})
	for _, j := range jobs {
		for _, n := range j.notes {
			j.app.Notef(model.NoteInfo, model.Pos{File: j.file}, "%s", n)
		}
	}
	for _, app := range apps {
		for _, fn := range app.Functions {
			if c := fn.Code; c != nil && c.EntryFile != "" {
				c.Findings = append(c.Findings, jobs[index[key{c.EntryFile, c.Symbol}]].findings...)
			}
		}
	}
}
