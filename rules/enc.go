package rules

import "github.com/faasguard/faasguard/model"

var envNoCMK = &Rule{
	ID:       "FG-ENC-030",
	Title:    "Environment variables without a customer-managed KMS key",
	Severity: Low,
	Family:   ENC,
	Profile:  ProfileWellArchitected,
	Risk:     "Key management for environment variables; encryption at rest (seeds 000, 003)",
	Rationale: "Lambda encrypts environment variables with an AWS-managed key by default; only a customer-managed key " +
		"lets a key policy decide who can read them and CloudTrail audit every decryption. Where policy asks for " +
		"customer keys everywhere, every function with an environment needs one. FG-SEC-002 covers the variables whose " +
		"names mark them as credentials in the default profile.",
	Remediation: "Set `kmsKeyArn` (`KmsKeyArn`, `kms_key_arn`) to a customer-managed key on the provider or the function.",
	Refs: Refs{CWE: []string{"CWE-311"}, Checkov: []string{"CKV_AWS_173"},
		KICS: []string{"Serverless Function Environment Variables Not Encrypted", "Lambda Functions Without Customer Managed Key"}},
	Check: func(c *Context) {
		if c.App.Provider != model.AWS && c.App.Provider != "" {
			return
		}
		for _, fn := range c.App.Functions {
			if fn.KMSKey.State != model.Absent || len(fn.Environment) == 0 {
				continue
			}
			c.Fn(fn, fn.Pos, "env-cmk", "function %s has environment variables and no customer-managed KMS key", fn.ID)
		}
	},
}

func init() { Register(envNoCMK) }
