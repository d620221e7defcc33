package secrets

import "testing"

func TestIsSensitiveName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"PASSWORD", true}, {"DB_PASSWORD", true}, {"dbPassword", true}, {"db.password", true},
		{"DB_PASS", true}, {"MYSQL_PWD", true}, {"SECRET", true}, {"JWT_SECRET", true},
		{"API_KEY", true}, {"apiKey", true}, {"STRIPE_KEY", true}, {"PRIVATE_KEY", true},
		{"CLIENT_SECRET", true}, {"clientSecret", true}, {"AUTH_TOKEN", true}, {"GITHUB_TOKEN", true},
		{"CREDENTIALS", true}, {"BASIC_AUTH", true}, {"CONNECTION_STRING", true}, {"KEY", true},
		{"ENCRYPTION_KEY", true}, {"AWS_SECRET_ACCESS_KEY", true}, {"SLACK_WEBHOOK_KEY", true},
		{"SECRET_ARN", false}, {"DB_PASSWORD_SSM_PARAM", false}, {"TOKEN_TTL", false},
		{"SECRET_NAME", false}, {"PUBLIC_KEY", false}, {"PARTITION_KEY", false}, {"SORT_KEY", false},
		{"CACHE_KEY", false}, {"S3_KEY", false}, {"KMS_KEY_ID", false}, {"AWS_ACCESS_KEY_ID", false},
		{"AUTHOR", false}, {"AUTH_URL", false}, {"TABLE_NAME", false}, {"LOG_LEVEL", false},
		{"PASSWORD_MIN_LENGTH", false}, {"PASSWORD_POLICY", false}, {"TOKEN_ENDPOINT", false},
		{"USERNAME", false}, {"BYPASS_CACHE", false}, {"", false},
	}
	for _, tt := range tests {
		if got := IsSensitiveName(tt.name); got != tt.want {
			t.Errorf("IsSensitiveName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	yes := []string{"", "  ", "changeme", "CHANGE_ME", "xxx", "xxxxxxxxxxxx", "sk_live_xxxxxxxxxxxx", "****",
		"<your-key>", "<API_KEY>", "[YOUR_TOKEN]", "TODO", "todo: set me", "${DB_PASSWORD}", "${ssm:/a/b}",
		"{{ .Values.password }}", "{{resolve:secretsmanager:x}}", "%(password)s", "$DB_PASSWORD", "$(TOKEN)",
		"%PASSWORD%", "@PASSWORD@", "#{password}", "<%= secret %>", "your-api-key", "your_token_here",
		"insert-key-here", "put_your_password_here", "example", "EXAMPLE_KEY", "dummy", "placeholder",
		"password", "secret", "none", "null", "aaaaaaaa", "REDACTED", "'changeme'", "{VAR}"}
	no := []string{"hunter2!", "Zx81kdj29sKa", "correct horse battery staple", "s3cr3tP@ss", "AKIAZ7WQ3RT5YU6IOP2A"}
	for _, v := range yes {
		if !IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false, want true", v)
		}
	}
	for _, v := range no {
		if IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true, want false", v)
		}
	}
}

func TestIsReference(t *testing.T) {
	yes := []string{"!Ref DbPassword", "!GetAtt Secret.Arn", "!Sub '${AWS::StackName}-x'", "Fn::ImportValue",
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", "arn:aws-us-gov:ssm:x",
		"ssm:/app/db/password", "secretsmanager:db-creds", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)",
		"process.env.DB_PASSWORD", "os.environ['X']", "os.getenv('X')", "var.db_password", "local.secret",
		"config.db.password", "settings.SECRET_KEY", "getSecret()", "[parameters('adminPassword')]",
		"{.credential.token}", "ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]", "${ssm:/x}"}
	no := []string{"hunter2!", "ya29.a0AfH6SMBx3kX9q2Lw7ZpRt5vN8", "Zx81kdj29sKa", "http://example.com"}
	for _, v := range yes {
		if !IsReference(v) {
			t.Errorf("IsReference(%q) = false, want true", v)
		}
	}
	for _, v := range no {
		if IsReference(v) {
			t.Errorf("IsReference(%q) = true, want false", v)
		}
	}
}

func TestScanValue(t *testing.T) {
	d := detector(t)
	tests := []struct {
		name, value string
		want        bool
		kind        string
	}{
		{"DB_PASSWORD", "Zx81!kdj29sKa", true, "password"},
		{"dbPassword", "hunter2!", true, "password"},
		{"JWT_SECRET", "q8Xv2LmN4pR7sT1w", true, "generic-api-key"},
		{"GITHUB_TOKEN", githubPAT(11), true, "api-token"},
		{"SOMETHING", githubPAT(12), true, "api-token"}, // the value's format alone is enough
		{"AWS_ACCESS_KEY_ID", awsKeyID(13), true, "aws-access-key"},
		{"DATABASE_URL", "postgres://app:Zx81kdj29sKa@db.internal:5432/app", true, "connection-string"},
		{"AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + token(14, 86, b64) + "==", true, ""},
		{"DB_PASSWORD", "changeme", false, ""},
		{"DB_PASSWORD", "${ssm:/db/password}", false, ""},
		{"DB_PASSWORD", "{{resolve:secretsmanager:db:SecretString:password}}", false, ""},
		{"API_KEY", "!Ref ApiKey", false, ""},
		{"SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", false, ""},
		{"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", false, ""},
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false, ""},
		{"TABLE_NAME", "orders-prod", false, ""},
		{"AUTH_ENABLED", "true", false, ""},
		{"TOKEN_TTL", "3600", false, ""},
		{"API_KEY", "12345678", false, ""},
		{"AUTH_URL", "https://auth.example.org/oauth2/token", false, ""},
		{"API_URL", "https://api.example.org/v1", false, ""},
		{"SECRET", "MyAppSecret3C357FF2", false, ""}, // CDK logical ID
		{"PASSWORD", "abc", false, ""},
		{"LOG_LEVEL", "debug", false, ""},
		{"PASSWORD", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			f, ok := d.ScanValue(tt.name, tt.value)
			if ok != tt.want {
				t.Fatalf("ScanValue = %v (%+v), want %v", ok, f, tt.want)
			}
			if !ok {
				return
			}
			if tt.kind != "" && f.Kind != tt.kind {
				t.Errorf("kind %q, want %q (%s)", f.Kind, tt.kind, f.RuleID)
			}
			if f.Line != 0 || f.Column != 0 {
				t.Errorf("ScanValue finding has a position: %+v", f)
			}
			if len(f.Secret) > 8 || f.Secret == "" {
				t.Errorf("secret not redacted: %q", f.Secret)
			}
		})
	}
}
