package analysis

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/faasguard/faasguard/deps"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/osvdb"
	"github.com/faasguard/faasguard/scan"
)

// dependencies extracts the packages of each code root, records them on
// the root's functions, and matches them against the OSV database.
func dependencies(apps []*model.Application, order []string, roots map[string][]*model.Function, t *loader.Tree, opts scan.Options) {
	type rootResult struct {
		res deps.Result
		err error
	}
	list := make([]rootResult, len(order))
	parallel(len(order), func(i int) {
		res, err := deps.Extract(filepath.Join(t.Root, filepath.FromSlash(order[i])), deps.Options{})
		list[i] = rootResult{res, err}
	})
	results := map[string]rootResult{}
	ecosystems := map[string]bool{}
	for i, r := range order {
		results[r] = list[i]
		for _, p := range list[i].res.Packages {
			ecosystems[p.Ecosystem] = true
		}
	}
	if len(ecosystems) == 0 {
		return
	}
	db, dbNote := openDB(opts.DB, ecosystems)
	for _, r := range order {
		rr := results[r]
		fns := roots[r]
		owner := fns[0]
		if rr.err != nil {
			t.Note(model.NoteWarn, model.Pos{File: r}, "dependencies not read: %v", rr.err)
			continue
		}
		for _, n := range rr.res.Notes {
			t.Note(model.NoteInfo, model.Pos{File: rel(t, n.Path)}, "%s", n.Detail)
		}
		var pkgs []model.Package
		var found []model.CodeFinding
		for _, p := range rr.res.Packages {
			pos := model.Pos{File: rel(t, p.Lockfile), Line: p.Line}
			pkgs = append(pkgs, model.Package{Name: p.Name, Version: p.Version, Ecosystem: p.Ecosystem, PURL: purl(p), Pos: pos})
			if p.Scripts {
				found = append(found, model.CodeFinding{Kind: "install-script", Pos: pos, Confidence: "high",
					Message: "package " + p.Name + "@" + p.Version + " runs install scripts",
					Detail:  map[string]string{"package": p.Name, "version": p.Version}})
			}
			if db == nil {
				continue
			}
			for _, v := range db.Query(p) {
				found = append(found, model.CodeFinding{Kind: "vulnerable-dependency", Pos: pos, Severity: v.Severity, Confidence: "high",
					Message: v.Summary,
					Detail: map[string]string{"id": v.ID, "aliases": strings.Join(v.Aliases, ", "), "package": p.Name,
						"version": p.Version, "ecosystem": p.Ecosystem, "fixed": strings.Join(v.FixedVersions, ", ")}})
			}
		}
		for _, is := range rr.res.Issues {
			found = append(found, model.CodeFinding{Kind: is.Kind, Pos: model.Pos{File: rel(t, is.File), Line: is.Line}, Confidence: "high", Message: is.Detail})
		}
		for _, fn := range fns {
			fn.Code.Packages = pkgs
		}
		// Findings of a root that several functions share belong to the
		// application.
		if len(fns) == 1 {
			owner.Code.Findings = append(owner.Code.Findings, found...)
		} else if app := model.Owner(apps, r); app != nil {
			app.CodeFindings = append(app.CodeFindings, found...)
		}
	}
	if dbNote != "" && db == nil {
		t.Note(model.NoteInfo, model.Pos{}, "%s", dbNote)
	}
}

// openDB opens the OSV database for the ecosystems the scan found.
func openDB(dir string, ecosystems map[string]bool) (*osvdb.DB, string) {
	if dir == "" {
		dir = osvdb.DefaultDir()
		if _, err := os.Stat(dir); err != nil {
			return nil, "no OSV database at " + dir + ": dependencies were listed but not matched against advisories (run faasguard db update, or pass --db DIR)"
		}
	}
	eco := make([]string, 0, len(ecosystems))
	for e := range ecosystems {
		eco = append(eco, e)
	}
	db, err := osvdb.OpenFor(dir, eco)
	if err != nil {
		return nil, "OSV database " + dir + " not usable: " + err.Error()
	}
	return db, ""
}

// purl builds a package URL (used by the SBOM).
func purl(p deps.Package) string {
	typ := map[string]string{"npm": "npm", "PyPI": "pypi", "Go": "golang", "Maven": "maven", "Packagist": "composer",
		"RubyGems": "gem", "crates.io": "cargo", "NuGet": "nuget"}[p.Ecosystem]
	if typ == "" || p.Version == "" {
		return ""
	}
	name := p.Name
	switch typ {
	case "maven":
		name = strings.Replace(name, ":", "/", 1)
	case "npm":
		if strings.HasPrefix(name, "@") {
			name = "%40" + name[1:]
		}
	case "pypi":
		name = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	}
	return "pkg:" + typ + "/" + name + "@" + p.Version
}
