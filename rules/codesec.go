package rules

import (
	"fmt"

	"github.com/faasguard/faasguard/model"
)

// eachCodeFinding calls f for every analyser finding of the given kinds,
// on functions and on the application's own files.
func eachCodeFinding(app *model.Application, kinds map[string]bool, f func(fn *model.Function, cf model.CodeFinding)) {
	for _, fn := range app.Functions {
		if fn.Code == nil {
			continue
		}
		for _, cf := range fn.Code.Findings {
			if kinds[cf.Kind] {
				f(fn, cf)
			}
		}
	}
	for _, cf := range app.CodeFindings {
		if kinds[cf.Kind] {
			f(nil, cf)
		}
	}
}

var secretInCode = &Rule{
	ID:       "FG-SEC-003",
	Title:    "Secret in code or configuration file",
	Severity: High,
	Family:   SEC,
	Risk:     "Hardcoded secrets and keys in code; unprotected functions in public repositories (seeds 000, 003)",
	Rationale: "A credential in a source or config file is in every clone, fork, build artifact and deployment package " +
		"of the function. Public repositories are scraped for keys within minutes of a push.",
	Remediation: "Remove the secret, rotate it now (it is in the history), and read it at run time from a secret " +
		"store (Secrets Manager, SSM Parameter Store, Key Vault, Secret Manager).",
	Refs: Refs{CWE: []string{"CWE-798"}, OWASP: []string{"SAS-7: Insecure Application Secrets Storage"},
		Checkov: []string{"CKV_SECRET_2", "CKV_SECRET_6"}, KICS: []string{"Passwords And Secrets"}},
	Check: func(c *Context) {
		eachCodeFinding(c.App, map[string]bool{"secret": true}, func(fn *model.Function, cf model.CodeFinding) {
			f := Finding{Pos: cf.Pos, Key: "secret:" + cf.Detail["rule"] + ":" + cf.Detail["secret"],
				Message: fmt.Sprintf("%s (%s, %s)", cf.Message, cf.Detail["kind"], cf.Detail["secret"])}
			if fn != nil {
				f.Function = fn.ID
			}
			if cf.Confidence == "high" {
				f.Severity = Critical
			}
			c.Report(f)
		})
	},
}

var secretFile = &Rule{
	ID:       "FG-SEC-004",
	Title:    "Credentials file committed",
	Severity: High,
	Family:   SEC,
	Risk:     "Hardcoded secrets; unprotected functions in public repositories (seeds 000, 003)",
	Rationale: "Files such as .env, Azure's local.settings.json, .npmrc with an auth token, cloud credentials files and " +
		"private keys exist to keep secrets out of code. Committed, they publish every secret they hold.",
	Remediation: "Remove the file from the repository and its history, add it to .gitignore, rotate what it held, and " +
		"commit a template (.env.example) without values instead.",
	Refs: Refs{CWE: []string{"CWE-538", "CWE-798"}, OWASP: []string{"SAS-7: Insecure Application Secrets Storage"}},
	Check: func(c *Context) {
		eachCodeFinding(c.App, map[string]bool{"secret-file": true}, func(fn *model.Function, cf model.CodeFinding) {
			f := Finding{Pos: cf.Pos, Key: "file:" + cf.Detail["kind"], Message: fmt.Sprintf("%s (%s)", cf.Message, cf.Pos.File)}
			if fn != nil {
				f.Function = fn.ID
			}
			c.Report(f)
		})
	},
}

func init() { Register(secretInCode, secretFile) }
