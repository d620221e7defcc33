package secrets

import (
	"strconv"
	"strings"
	"testing"
)

func TestClassifyFile(t *testing.T) {
	accountKey := token(21, 86, b64) + "=="
	pem := "-----BEGIN OPENSSH PRIVATE KEY-----\n" + token(22, 70, b64) + "\n" + token(23, 70, b64) + "\n-----END OPENSSH PRIVATE KEY-----\n"
	tests := []struct {
		name, path, content string
		want                []string // "rule@line"
	}{
		{"local settings with secrets", "api/local.settings.json", `{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "node",
    "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=` + accountKey + `",
    "DB_PASSWORD": "Zx81!kdj29sKa",
    "API_URL": "https://api.example.org"
  }
}`, []string{RuleLocalSettings + "@5", RuleLocalSettings + "@6"}},
		{"local settings, dev storage only", "local.settings.json", `{"Values": {"AzureWebJobsStorage": "UseDevelopmentStorage=true", "FUNCTIONS_WORKER_RUNTIME": "python"}}`, nil},
		{"local settings, key vault refs", "local.settings.json", `{"Values": {"DB_PASSWORD": "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/db)"}}`, nil},
		{"local settings, invalid json", "local.settings.json", `{"Values": {`, nil},
		{"env file", "svc/.env", "# local\nPORT=3000\nexport DB_PASSWORD=\"Zx81!kdj29sKa\"\nSTRIPE_KEY=sk_" + token(24, 24, alnum) + "\n", []string{RuleEnvFile + "@3"}},
		{"env file per stage", ".env.production", "JWT_SECRET=q8Xv2LmN4pR7sT1w # prod\n", []string{RuleEnvFile + "@1"}},
		{"env file, placeholders only", ".env", "DB_PASSWORD=changeme\nAPI_KEY=<your-key>\nTOKEN=${TOKEN}\n", nil},
		{"env example", ".env.example", "DB_PASSWORD=Zx81!kdj29sKa\n", nil},
		{"env sample", ".env.sample", "DB_PASSWORD=Zx81!kdj29sKa\n", nil},
		{"env template", ".env.template", "DB_PASSWORD=Zx81!kdj29sKa\n", nil},
		{"pem key file", "deploy/key.pem", pem, []string{RulePrivateKey + "@1"}},
		{"id_rsa", "home/.ssh/id_rsa", "\n" + pem, []string{RulePrivateKey + "@2"}},
		{"id_rsa.pub is public", "id_rsa.pub", "ssh-ed25519 AAAAC3Nza me@host\n", nil},
		{"key embedded in code is ScanFile's", "src/app.js", "const k = `" + pem + "`;\n", nil},
		{"encrypted key", "k.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", []string{RulePrivateKey + "@1"}},
		{"npmrc literal token", ".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_" + token(25, 36, alnum) + "\n", []string{RuleNpmrcToken + "@2"}},
		{"npmrc env token", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", nil},
		{"aws credentials", ".aws/credentials", "[default]\naws_access_key_id = " + awsKeyID(26) + "\naws_secret_access_key = " + token(27, 40, b64) + "\n", []string{RuleCredentials + "@3"}},
		{"aws credentials, example", "credentials", "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", nil},
		{"git credentials", ".git-credentials", "https://me:" + githubPAT(28) + "@github.com\n", []string{RuleCredentials + "@1"}},
		{"netrc", ".netrc", "machine api.example.org login me password Zx81kdj29sKa\n", []string{RuleCredentials + "@1"}},
		{"plain file", "README.md", "password: Zx81!kdj29sKa\n", nil},
		{"binary", "local.settings.json", "\x00\x01\x02", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := ClassifyFile(tt.path, []byte(tt.content))
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID+"@"+strconv.Itoa(f.Line))
				if f.Confidence == "" || f.Kind == "" || f.Description == "" {
					t.Errorf("incomplete finding %+v", f)
				}
				if f.Secret != "" && !strings.HasSuffix(f.Secret, "****") {
					t.Errorf("secret not redacted: %q", f.Secret)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
