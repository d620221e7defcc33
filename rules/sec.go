package rules

import (
	"fmt"

	"github.com/faasguard/faasguard/internal/detector"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/secrets"
)

var secretInEnv = &Rule{
	ID:       "FG-SEC-001",
	Title:    "Secret in an environment variable",
	Severity: High,
	Family:   SEC,
	Risk:     "Hardcoded secrets and keys in code and configuration (seeds 000, 003)",
	Rationale: "A credential written into the function's configuration is in the repository's history, in every " +
		"deployment artifact and template, and readable by anyone with read access to the function's configuration " +
		"(lambda:GetFunctionConfiguration). It cannot be rotated without a redeploy.",
	Remediation: "Store the secret in a secret store (AWS Secrets Manager or SSM Parameter Store SecureString, Azure " +
		"Key Vault references, GCP Secret Manager) and read it at run time; rotate the exposed value now.",
	Refs: Refs{CWE: []string{"CWE-798", "CWE-312"}, OWASP: []string{"SAS-7: Insecure Application Secrets Storage"},
		Checkov: []string{"CKV_AWS_45", "CKV_AWS_173", "CKV_SLS_1"}, KICS: []string{"Passwords And Secrets", "Serverless Function Environment Variables Not Encrypted"},
		Trivy: []string{"AVD-AWS-0097"}},
	Check: func(c *Context) {
		var det *secrets.Detector
		for _, fn := range c.App.Functions {
			for _, ev := range fn.Environment {
				v, ok := ev.Value.Get()
				if !ok || ev.FromSecretStore || v == "" {
					continue
				}
				if det == nil {
					d, err := detector.Secrets()
					if err != nil {
						c.App.Notef(model.NoteError, model.Pos{File: c.App.File}, "secret detector unavailable: %v", err)
						return
					}
					det = d
				}
				sf, found := det.ScanValue(ev.Name, v)
				if !found {
					continue
				}
				f := Finding{Function: fn.ID, Pos: model.PosOr(ev.Pos, ev.Value.Pos), Key: "env:" + ev.Name,
					Message: fmt.Sprintf("environment variable %s of function %s holds a hardcoded %s (%s)", ev.Name, fn.ID, sf.Kind, sf.Secret)}
				if sf.Confidence == "high" {
					f.Severity = Critical
				}
				c.Report(f)
			}
		}
	},
}

var sensitiveEnvNoKMS = &Rule{
	ID:       "FG-SEC-002",
	Title:    "Sensitive environment variables without a customer KMS key",
	Severity: Medium,
	Family:   SEC,
	Risk:     "Key management for environment variables (seed 000)",
	Rationale: "Environment variables whose names mark them as credentials are encrypted at rest only with the " +
		"AWS-managed key: anyone allowed to read the function's configuration sees them in clear, and access to them " +
		"cannot be controlled or audited through a key policy.",
	Remediation: "Set a customer-managed KMS key on the function (`kmsKeyArn`, `KmsKeyArn`, `kms_key_arn`) — or better, " +
		"move the values to a secret store and keep only their names in the environment.",
	Refs: Refs{CWE: []string{"CWE-311"}, OWASP: []string{"SAS-7: Insecure Application Secrets Storage"},
		Checkov: []string{"CKV_AWS_173"}, KICS: []string{"Serverless Function Environment Variables Not Encrypted", "Lambda Functions Without Customer Managed Key"}},
	Check: func(c *Context) {
		if c.App.Provider != model.AWS && c.App.Provider != "" {
			return
		}
		for _, fn := range c.App.Functions {
			if fn.KMSKey.State != model.Absent {
				continue
			}
			var names []string
			var first model.Pos
			for _, ev := range fn.Environment {
				if ev.FromSecretStore || ev.Value.IsAbsent() || !secrets.IsSensitiveName(ev.Name) {
					continue
				}
				if v, ok := ev.Value.Get(); ok && (secrets.IsReference(v) || v == "") {
					continue
				}
				if len(names) == 0 {
					first = ev.Pos
				}
				names = append(names, ev.Name)
			}
			if len(names) > 0 {
				c.Fn(fn, first, "kms", "function %s has sensitive environment %s %v and no customer-managed KMS key",
					fn.ID, plural(len(names), "variable", "variables"), names)
			}
		}
	},
}

func init() { Register(secretInEnv, sensitiveEnvNoKMS) }
