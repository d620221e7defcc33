package analysis

import (
	"path"
	"strings"

	"github.com/faasguard/faasguard/internal/detector"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/secrets"
)

// textExts are the files scanned for secrets: code, config and the files
// that typically hold credentials. Other files (images, archives, data)
// are left out.
var textExts = map[string]bool{".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".py": true, ".go": true, ".java": true,
	".cs": true, ".rb": true, ".php": true, ".json": true, ".yml": true, ".yaml": true, ".tf": true, ".tfvars": true,
	".env": true, ".properties": true, ".ini": true, ".cfg": true, ".conf": true, ".toml": true, ".xml": true,
	".sh": true, ".pem": true, ".key": true, ".npmrc": true, ".bicep": true, ".txt": true}

func scannable(f loader.File) bool {
	b := f.Base()
	return textExts[f.Ext()] || strings.HasPrefix(b, ".env") || b == "id_rsa" || b == "id_ed25519" || b == "credentials" || b == ".npmrc"
}

// repoSecrets scans every text file of the tree once. A finding belongs to
// the functions whose code root holds the file, else to the application
// whose directory does, else to a "repository" application it returns.
// Values of environment variables in config files are left to the
// environment rule, which reports them with their function.
func repoSecrets(apps []*model.Application, roots map[string][]*model.Function, t *loader.Tree) (repo *model.Application) {
	det, err := detector.Secrets()
	if err != nil {
		t.Note(model.NoteError, model.Pos{}, "secret detector unavailable: %v", err)
		return nil
	}
	envLines := map[model.Pos]bool{}
	for _, a := range apps {
		for _, fn := range a.Functions {
			for _, ev := range fn.Environment {
				envLines[model.Pos{File: ev.Value.Pos.File, Line: ev.Value.Pos.Line}] = true
				envLines[model.Pos{File: ev.Pos.File, Line: ev.Pos.Line}] = true
			}
		}
	}
	// Scanning is CPU-bound regular-expression work: spread the files over
	// the cores, then attach results in file order so output is stable.
	var files []loader.File
	for _, f := range t.Files() {
		if scannable(f) {
			files = append(files, f)
		}
	}
	type result struct {
		found []secrets.Finding
		notes []secrets.Note
	}
	results := make([]result, len(files))
	parallel(len(files), func(i int) {
		data, err := t.Read(files[i].Rel)
		if err != nil {
			return
		}
		found, notes := det.ScanFile(files[i].Rel, data)
		results[i] = result{append(found, secrets.ClassifyFile(files[i].Rel, data)...), notes}
	})
	for i, f := range files {
		found, notes := results[i].found, results[i].notes
		for _, n := range notes {
			t.Note(model.NoteInfo, model.Pos{File: f.Rel, Line: n.Line}, "secrets: %s", n.Message)
		}
		if len(found) == 0 {
			continue
		}
		var cfs []model.CodeFinding
		for _, s := range found {
			pos := model.Pos{File: f.Rel, Line: s.Line, Col: s.Column}
			if envLines[model.Pos{File: f.Rel, Line: s.Line}] {
				continue
			}
			kind := "secret"
			if isFileKind(s.Kind) {
				kind = "secret-file"
			}
			cfs = append(cfs, model.CodeFinding{Kind: kind, Pos: pos, Confidence: s.Confidence,
				Message: s.Description, Detail: map[string]string{"rule": s.RuleID, "kind": s.Kind, "secret": s.Secret}})
		}
		if len(cfs) == 0 {
			continue
		}
		if fns := fnsFor(roots, f.Rel); len(fns) == 1 {
			fns[0].Code.Findings = append(fns[0].Code.Findings, cfs...)
			continue
		}
		// A file in a code root several functions share belongs to the
		// application, not to whichever function was listed first.
		app := model.Owner(apps, path.Dir(f.Rel))
		if app == nil {
			if repo == nil {
				repo = &model.Application{Name: "(repository)", Format: "files", Dir: "."}
			}
			app = repo
		}
		app.CodeFindings = append(app.CodeFindings, cfs...)
	}
	return repo
}

func isFileKind(k string) bool {
	switch k {
	case "env-file", "local-settings", "npmrc-token", "credentials-file":
		return true
	}
	return false
}
