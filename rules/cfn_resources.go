package rules

import (
	"strconv"
	"strings"

	"github.com/faasguard/faasguard/model"
)

// Resource checks that infrastructure templates (CloudFormation, SAM, CDK,
// the resources section of a serverless.yml, Terraform) make possible. They
// read only the model. Absent settings mean the platform default, which
// differs per service: SQS (since 2022), S3 (since 2023), DynamoDB and
// CloudWatch Logs encrypt by default with a provider key, SNS and Kinesis do
// not.

// notImplicit reports whether a resource is declared in the app: not
// implicit, and not a stand-in for a resource outside the app that only a
// policy (AWS::S3::BucketPolicy, AWS::SQS::QueuePolicy ...) is attached to.
func notImplicit(r *model.Resource) bool { return !r.Implicit && !strings.HasSuffix(r.Type, "Policy") }

var queueUnencrypted = &Rule{
	ID:       "FG-ENC-001",
	Title:    "SQS queue with server-side encryption turned off",
	Severity: Medium,
	Family:   ENC,
	Risk:     "Insecure storage of event data (seed 000)",
	Rationale: "SQS encrypts new queues with SSE-SQS by default; this queue turns that off (SqsManagedSseEnabled: " +
		"false and no KMS key), so messages, often whole events with personal data, are stored in clear.",
	Remediation: "Remove `SqsManagedSseEnabled: false`, or set `KmsMasterKeyId` to a customer-managed KMS key.",
	Refs: Refs{CWE: []string{"CWE-311"}, OWASP: []string{"SAS-7: Insecure Application Secrets Storage"},
		Checkov: []string{"CKV_AWS_27"}, KICS: []string{"SQS With SSE Disabled"}, Trivy: []string{"AVD-AWS-0096"}, CfnNag: []string{"W48"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind == model.ResQueue && r.Encryption.IsKnown() && r.Encryption.V == "none" {
				c.Res(r, r.Encryption.Pos, "encryption", "queue %s stores messages unencrypted: SQS-managed encryption is turned off and no KMS key is set", r.ID)
			}
		}
	},
}

var topicUnencrypted = &Rule{
	ID:       "FG-ENC-002",
	Title:    "SNS topic without encryption",
	Severity: Medium,
	Family:   ENC,
	Risk:     "Insecure storage of event data (seed 000)",
	Rationale: "SNS does not encrypt topics by default. Messages published to the topic are stored unencrypted " +
		"until delivered to every subscriber.",
	Remediation: "Set `KmsMasterKeyId` on the topic (a customer-managed key, or alias/aws/sns at least).",
	Refs: Refs{CWE: []string{"CWE-311"}, Checkov: []string{"CKV_AWS_26"}, KICS: []string{"SNS Topic Without KmsMasterKeyId"},
		Trivy: []string{"AVD-AWS-0095"}, CfnNag: []string{"W47"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind != model.ResTopic || !notImplicit(r) || !strings.HasPrefix(r.Type, "AWS::") && r.Type != "aws_sns_topic" {
				continue
			}
			if r.Encryption.IsAbsent() || r.Encryption.IsKnown() && r.Encryption.V == "none" {
				c.Res(r, model.PosOr(r.Pos, r.Encryption.Pos), "encryption", "topic %s is not encrypted at rest: no KMS key is set", r.ID)
			}
		}
	},
}

var streamUnencrypted = &Rule{
	ID:          "FG-ENC-003",
	Title:       "Kinesis stream without encryption",
	Severity:    Medium,
	Family:      ENC,
	Risk:        "Insecure storage of event data (seed 000)",
	Rationale:   "Kinesis Data Streams are not encrypted at rest unless StreamEncryption is set; every record stays readable in clear for the retention period.",
	Remediation: "Set `StreamEncryption: {EncryptionType: KMS, KeyId: <key>}` (alias/aws/kinesis at least).",
	Refs:        Refs{CWE: []string{"CWE-311"}, Checkov: []string{"CKV_AWS_43"}, Trivy: []string{"AVD-AWS-0064"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind != model.ResStream || !notImplicit(r) || !strings.Contains(strings.ToLower(r.Type), "kinesis") {
				continue
			}
			if r.Encryption.IsAbsent() || r.Encryption.IsKnown() && strings.EqualFold(r.Encryption.V, "none") {
				c.Res(r, model.PosOr(r.Pos, r.Encryption.Pos), "encryption", "stream %s is not encrypted at rest", r.ID)
			}
		}
	},
}

var noCMK = &Rule{
	ID:       "FG-ENC-004",
	Title:    "Data store encrypted without a customer-managed key",
	Severity: Low,
	Family:   ENC,
	Profile:  ProfileWellArchitected,
	Risk:     "Insecure storage of event data; key control (seed 000)",
	Rationale: "The queue, bucket, table, log group, stream or secret is encrypted with a key the provider owns or " +
		"manages. That protects the disks, but access to the data is not separately controlled or audited by a key " +
		"policy, and the key cannot be revoked or rotated on your schedule.",
	Remediation: "Use a customer-managed KMS key (`KmsMasterKeyId`, `KMSMasterKeyID`, `SSESpecification.KMSMasterKeyId`, `KmsKeyId`, `kms_key_id`).",
	Refs: Refs{CWE: []string{"CWE-320"}, Checkov: []string{"CKV_AWS_145", "CKV_AWS_119", "CKV_AWS_158", "CKV_AWS_149"},
		KICS: []string{"SQS Queue Not Encrypted With CMK"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			switch r.Kind {
			case model.ResQueue, model.ResBucket, model.ResTable, model.ResLogGroup, model.ResStream, model.ResSecret, model.ResTopic:
			default:
				continue
			}
			if !notImplicit(r) || r.Encryption.IsUnknown() || r.Encryption.IsKnown() && r.Encryption.V == "kms" {
				continue
			}
			if r.Encryption.IsKnown() && r.Encryption.V == "none" {
				continue // FG-ENC-001..003 report these
			}
			if r.Encryption.IsAbsent() && (r.Kind == model.ResTopic || r.Kind == model.ResStream) {
				continue // not encrypted at all: FG-ENC-002/003
			}
			c.Res(r, model.PosOr(r.Pos, r.Encryption.Pos), "cmk", "%s %s is encrypted with a provider-managed key, not a customer-managed KMS key", r.Kind, r.ID)
		}
	},
}

// deniesInsecureTransport reports whether a policy denies requests made
// without TLS (aws:SecureTransport false), or whether that is Unknown.
func deniesInsecureTransport(p []*model.Statement) model.State {
	st := model.Absent
	for _, s := range p {
		if s.Effect.IsUnknown() {
			st = model.Unknown
			continue
		}
		if !s.Effect.IsKnown() || s.Effect.V != "Deny" {
			continue
		}
		for _, v := range s.Conditions["aws:securetransport"] {
			if v.IsUnknown() {
				st = model.Unknown
			} else if strings.EqualFold(v.V, "false") {
				return model.Known
			}
		}
	}
	return st
}

var bucketNoTLS = &Rule{
	ID:       "FG-ENC-005",
	Title:    "Bucket policy does not require TLS",
	Severity: Medium,
	Family:   ENC,
	Risk:     "Data in transit; insecure configuration (seed 000)",
	Rationale: "Without a statement that denies requests where aws:SecureTransport is false, S3 accepts plain HTTP " +
		"requests to the bucket; credentials-signed requests and object data can be observed or altered on the way.",
	Remediation: "Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Resource the bucket and " +
		"bucket/*, Condition Bool aws:SecureTransport false.",
	Refs: Refs{CWE: []string{"CWE-319"}, Checkov: []string{"CKV_AWS_70"}, KICS: []string{"S3 Bucket Without SSL In Write Actions"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind != model.ResBucket || r.Implicit || r.Generated {
				continue
			}
			if deniesInsecureTransport(r.Policy) != model.Absent {
				continue
			}
			c.Res(r, r.Pos, "tls", "bucket %s accepts requests over plain HTTP: its policy does not deny aws:SecureTransport false", r.ID)
		}
	},
}

var apiCacheUnencrypted = &Rule{
	ID:          "FG-ENC-006",
	Title:       "API cache not encrypted",
	Severity:    Low,
	Family:      ENC,
	Risk:        "Insecure storage of response data (seed 000)",
	Rationale:   "The stage caches responses without encryption; cached responses may hold personal data or tokens.",
	Remediation: "Set `CacheDataEncrypted: true` in the stage's MethodSettings wherever caching is enabled.",
	Refs:        Refs{CWE: []string{"CWE-311"}, Checkov: []string{"CKV_AWS_120"}, KICS: []string{"API Gateway Cache Encrypted Disabled"}, Trivy: []string{"AVD-AWS-0002"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind == model.ResStage && model.IsFalse(r.CacheEncrypted) {
				c.Res(r, r.CacheEncrypted.Pos, "cache", "stage %s caches responses unencrypted", r.ID)
			}
		}
	},
}

// apiStages returns the stages of the app that a framework did not generate.
func apiStages(a *model.Application) []*model.Resource {
	var out []*model.Resource
	for _, r := range a.Resources {
		if r.Kind == model.ResStage && !r.Generated {
			out = append(out, r)
		}
	}
	return out
}

var dataTrace = &Rule{
	ID:       "FG-LOG-010",
	Title:    "API stage logs full requests and responses (data trace)",
	Severity: High,
	Family:   LOG,
	Risk:     "Sensitive data in logs (seeds 000, 003)",
	Rationale: "With data trace on, API Gateway writes whole request and response bodies and headers to CloudWatch " +
		"Logs: passwords, tokens and personal data end up in logs that many people can read.",
	Remediation: "Set `DataTraceEnabled: false` (MethodSettings / DefaultRouteSettings); use access logs with selected fields instead.",
	Refs: Refs{CWE: []string{"CWE-532"}, OWASP: []string{"SAS-10: Improper Exception Handling and Verbose Error Messages"},
		Checkov: []string{"CKV_AWS_76"}, Trivy: []string{"AVD-AWS-0001"}},
	Check: func(c *Context) {
		for _, r := range apiStages(c.App) {
			if model.IsTrue(r.DataTrace) {
				c.Res(r, r.DataTrace.Pos, "datatrace", "stage %s logs full request and response bodies (data trace on)", r.ID)
			}
		}
	},
}

var accessLogsOff = &Rule{
	ID:       "FG-LOG-011",
	Title:    "API stage without access logging",
	Severity: Medium,
	Family:   LOG,
	Risk:     "Monitoring and logging at the application layer (seeds 000, 001, 003)",
	Rationale: "Without access logs there is no record of who called which route, from where and with what " +
		"result: attacks on the API cannot be detected or investigated.",
	Remediation: "Set `AccessLogSetting` (REST) / `AccessLogSettings` (HTTP API) with a log group destination and a format.",
	Refs: Refs{CWE: []string{"CWE-778"}, Checkov: []string{"CKV_AWS_76", "CKV_AWS_95"},
		KICS:  []string{"API Gateway Access Logging Disabled", "Serverless API Access Logging Setting Undefined", "API Gateway Deployment Without Access Log Setting"},
		Trivy: []string{"AVD-AWS-0001"}},
	Check: func(c *Context) {
		for _, r := range apiStages(c.App) {
			if r.AccessLogging.IsUnknown() || model.IsTrue(r.AccessLogging) {
				continue
			}
			c.Res(r, model.PosOr(r.Pos, r.AccessLogging.Pos), "accesslog", "stage %s has no access logging", r.ID)
		}
	},
}

// restStage reports whether a stage belongs to a REST API.
func restStage(r *model.Resource) bool {
	t := strings.ToLower(r.Type)
	return strings.Contains(t, "apigateway::stage") && !strings.Contains(t, "v2") || strings.Contains(t, "apigateway::deployment") || t == "aws_api_gateway_stage"
}

var stageTracingOff = &Rule{
	ID:          "FG-LOG-012",
	Title:       "REST API stage without X-Ray tracing",
	Severity:    Low,
	Family:      LOG,
	Profile:     ProfileWellArchitected,
	Risk:        "Monitoring and logging at the application layer (seed 000)",
	Rationale:   "Without tracing on the stage, requests cannot be followed from the API into the functions and services behind it.",
	Remediation: "Set `TracingEnabled: true` on the stage (SAM: on the Api or in Globals.Api).",
	Refs:        Refs{CWE: []string{"CWE-778"}, Checkov: []string{"CKV_AWS_73"}, KICS: []string{"API Gateway X-Ray Disabled", "Serverless API X-Ray Tracing Disabled"}, Trivy: []string{"AVD-AWS-0003"}},
	Check: func(c *Context) {
		for _, r := range apiStages(c.App) {
			if restStage(r) && !r.Tracing.IsUnknown() && !model.IsTrue(r.Tracing) {
				c.Res(r, model.PosOr(r.Pos, r.Tracing.Pos), "tracing", "stage %s has X-Ray tracing off", r.ID)
			}
		}
	},
}

func userPools(a *model.Application, kind model.ResourceKind) []*model.Resource {
	var out []*model.Resource
	for _, r := range a.Resources {
		if r.Kind == kind && r.UserPool != nil && !r.Generated {
			out = append(out, r)
		}
	}
	return out
}

var weakPassword = &Rule{
	ID:       "FG-AUTH-010",
	Title:    "Cognito user pool with a weak password policy",
	Severity: Medium,
	Family:   AUTH,
	Risk:     "Broken authentication (seed 000)",
	Rationale: "The user pool accepts short passwords or drops character classes, which makes guessing and " +
		"credential stuffing easier. Cognito's default is 8 characters with all four classes required.",
	Remediation: "Require at least 8 (better 12+) characters and keep lower case, upper case, numbers and symbols required.",
	Refs:        Refs{CWE: []string{"CWE-521"}, OWASP: []string{"SAS-2: Broken Authentication"}, Checkov: []string{"CKV_AWS_181"}},
	Check: func(c *Context) {
		for _, r := range userPools(c.App, model.ResUserPool) {
			u := r.UserPool
			var weak []string
			pos := r.Pos
			if u.MinLength.IsKnown() && u.MinLength.V < 8 {
				weak = append(weak, "minimum length "+strconv.Itoa(u.MinLength.V))
				pos = u.MinLength.Pos
			}
			for _, x := range []struct {
				v    model.Bool
				name string
			}{{u.RequireLower, "lower case"}, {u.RequireUpper, "upper case"}, {u.RequireNumbers, "numbers"}, {u.RequireSymbols, "symbols"}} {
				if model.IsFalse(x.v) {
					weak = append(weak, x.name+" not required")
					if pos == r.Pos {
						pos = x.v.Pos
					}
				}
			}
			if len(weak) == 0 || len(weak) == 1 && !strings.HasPrefix(weak[0], "minimum") {
				continue // one relaxed class with a sound length is a deliberate, acceptable trade-off
			}
			c.Res(r, pos, "password", "user pool %s has a weak password policy: %s", r.ID, strings.Join(weak, ", "))
		}
	},
}

var mfaOff = &Rule{
	ID:          "FG-AUTH-011",
	Title:       "Cognito user pool without MFA",
	Severity:    Medium,
	Family:      AUTH,
	Risk:        "Broken authentication (seed 000)",
	Rationale:   "MFA is off (Cognito's default): a stolen or guessed password is enough to take over an account.",
	Remediation: "Set `MfaConfiguration: ON` (or OPTIONAL with adaptive authentication) and enable a software token or SMS second factor.",
	Refs:        Refs{CWE: []string{"CWE-308"}, OWASP: []string{"SAS-2: Broken Authentication"}},
	Check: func(c *Context) {
		for _, r := range userPools(c.App, model.ResUserPool) {
			m := r.UserPool.MFA
			if m.IsUnknown() || m.IsKnown() && !strings.EqualFold(m.V, "OFF") {
				continue
			}
			c.Res(r, model.PosOr(r.Pos, m.Pos), "mfa", "user pool %s does not use multi-factor authentication", r.ID)
		}
	},
}

var unsafeFlows = map[string]string{
	"ADMIN_NO_SRP_AUTH": "sends the password to the server in the request", "ALLOW_ADMIN_USER_PASSWORD_AUTH": "sends the password to the server in the request",
	"USER_PASSWORD_AUTH": "sends the password in clear to Cognito instead of SRP", "ALLOW_USER_PASSWORD_AUTH": "sends the password in clear to Cognito instead of SRP",
}

var unsafeAuthFlow = &Rule{
	ID:       "FG-AUTH-012",
	Title:    "Cognito client allows password-based auth flows",
	Severity: Medium,
	Family:   AUTH,
	Risk:     "Broken authentication (seed 000)",
	Rationale: "USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH send the user's password itself instead of an SRP proof; " +
		"it passes through and can be logged by every layer in between.",
	Remediation: "Use ALLOW_USER_SRP_AUTH (and ALLOW_REFRESH_TOKEN_AUTH); keep password flows for migrations only.",
	Refs:        Refs{CWE: []string{"CWE-522"}, OWASP: []string{"SAS-2: Broken Authentication"}},
	Check: func(c *Context) {
		for _, r := range userPools(c.App, model.ResUserPoolClient) {
			for _, f := range r.UserPool.ExplicitAuthFlows {
				if why, bad := unsafeFlows[strings.ToUpper(f.Or(""))]; bad {
					c.Res(r, f.Pos, "flow:"+f.V, "user pool client %s allows %s, which %s", r.ID, f.V, why)
				}
			}
		}
	},
}

var jwtNoAudience = &Rule{
	ID:       "FG-AUTH-013",
	Title:    "JWT authorizer without audience",
	Severity: High,
	Family:   AUTH,
	Risk:     "Broken authentication (seed 000)",
	Rationale: "A JWT authorizer without an audience accepts every token the issuer signs, including tokens issued " +
		"to other applications of the same identity provider.",
	Remediation: "Set the authorizer's audience (`JwtConfiguration.Audience`, `audience:` in serverless.yml, `jwt_configuration.audience`) to this API's client IDs.",
	Refs:        Refs{CWE: []string{"CWE-287"}, OWASP: []string{"SAS-2: Broken Authentication"}},
	Check: func(c *Context) {
		seen := map[string]bool{}
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				if !t.Auth.IsKnown() || t.Auth.V != model.AuthJWT || len(t.JWTAudience) > 0 || t.Authorizer.IsUnknown() && t.Authorizer.Why == "" {
					continue
				}
				key := t.Authorizer.V + t.Authorizer.Why
				if t.API != nil {
					key = t.API.ID + "/" + key
				}
				if seen[key] {
					continue
				}
				seen[key] = true
				c.Fn(fn, model.PosOr(t.Pos, t.Auth.Pos), "jwt:"+key, "JWT authorizer of %s accepts tokens for any audience", describe(t))
			}
		}
	},
}

var methodNoAuth = &Rule{
	ID:       "FG-AUTH-014",
	Title:    "API method or route without authorization",
	Severity: High,
	Family:   AUTH,
	Risk:     "Broken authentication (seeds 000, 003)",
	Rationale: "The API method or route (its backend is not a function of this app: an HTTP backend, an AWS service " +
		"integration, a function elsewhere) has authorization type NONE: anyone can call it and reach the backend.",
	Remediation: "Set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, CUSTOM, JWT) with an authorizer on the method or route.",
	Refs: Refs{CWE: []string{"CWE-306"}, OWASP: []string{"SAS-2: Broken Authentication"}, Checkov: []string{"CKV_AWS_59"},
		KICS: []string{"API Gateway With Open Access", "API Gateway Without Configured Authorizer"}, CfnNag: []string{"W59"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind != model.ResMethod || r.Generated {
				continue
			}
			a := r.Attrs
			if !a["authorizationType"].IsKnown() || !strings.EqualFold(a["authorizationType"].V, "NONE") ||
				strings.EqualFold(a["httpMethod"].Or(""), "OPTIONS") || strings.EqualFold(a["integrationType"].Or(""), "MOCK") ||
				a["public"].IsKnown() && a["public"].V == "false" {
				continue
			}
			if a["apiKeyRequired"].IsKnown() && strings.EqualFold(a["apiKeyRequired"].V, "true") {
				c.Report(Finding{Resource: r.ID, Pos: a["apiKeyRequired"].Pos, Key: "apikey", Severity: Medium, Generated: r.Generated,
					Message: "API method " + r.ID + " is protected by an API key only"})
				continue
			}
			c.Res(r, model.PosOr(r.Pos, a["authorizationType"].Pos), "auth", "API method %s %s has no authorization: anyone can call it",
				r.ID, strings.TrimSpace(strings.ToUpper(a["httpMethod"].Or(""))+" "+a["path"].Or("")))
		}
	},
}

var permissionAnyone = &Rule{
	ID:       "FG-EXP-010",
	Title:    "Function invocable by anyone (principal *)",
	Severity: High,
	Family:   EXP,
	Risk:     "Over-privileged function permissions; attack surface (seeds 000, 003)",
	Rationale: "The function's resource policy lets any AWS account, or anyone at all, invoke it directly, bypassing " +
		"the API and its authorizers.",
	Remediation: "Name the principal that must call the function (a service principal with SourceArn and SourceAccount, or an account ARN).",
	Refs: Refs{CWE: []string{"CWE-284"}, OWASP: []string{"SAS-5: Improper Function Permissions"},
		Checkov: []string{"CKV_AWS_301"}, KICS: []string{"Lambda Permission Principal Is Wildcard"}},
	Check: func(c *Context) {
		for _, p := range c.App.Permissions {
			if !p.Principal.IsKnown() || p.Principal.V != "*" {
				continue
			}
			if p.URLAuthType.IsKnown() && strings.EqualFold(p.URLAuthType.V, "NONE") {
				continue // the permission behind a public function URL: FG-EXP-001
			}
			f := Finding{Resource: p.ID, Pos: model.PosOr(p.Pos, p.Principal.Pos), Key: "principal",
				Message: "permission " + p.ID + " lets any principal invoke " + permTarget(p)}
			if !p.SourceArn.IsAbsent() || !p.SourceAccount.IsAbsent() {
				// Only a service acting for the named source can satisfy
				// the conditions; still broader than naming the service.
				f.Severity = Medium
				f.Message += " (scoped by SourceArn/SourceAccount only)"
			}
			if p.Function != nil {
				f.Function, f.Generated = p.Function.ID, p.Function.Generated
			}
			c.Report(f)
		}
	},
}

func permTarget(p *model.Permission) string {
	if p.Function != nil {
		return "function " + p.Function.ID
	}
	if p.Target.IsKnown() {
		return "function " + p.Target.V
	}
	return "the function"
}

var confusedDeputy = &Rule{
	ID:       "FG-EXP-011",
	Title:    "Service permission without source restriction (confused deputy)",
	Severity: Medium,
	Family:   EXP,
	Risk:     "Over-privileged function permissions (seed 000)",
	Rationale: "The permission lets an AWS service invoke the function on behalf of any resource of that service, in " +
		"any account: someone else's bucket, topic or rule can send it events (confused deputy).",
	Remediation: "Add `SourceArn` (the bucket, topic, rule or API that should call) and, for S3, `SourceAccount`.",
	Refs: Refs{CWE: []string{"CWE-441"}, OWASP: []string{"SAS-5: Improper Function Permissions"},
		KICS: []string{"Lambda Permission Misconfigured"}, Checkov: []string{"CKV_AWS_364"}},
	Check: func(c *Context) {
		for _, p := range c.App.Permissions {
			if !p.Principal.IsKnown() || !strings.HasSuffix(p.Principal.V, ".amazonaws.com") {
				continue
			}
			if !p.SourceArn.IsAbsent() || !p.SourceAccount.IsAbsent() {
				continue
			}
			f := Finding{Resource: p.ID, Pos: model.PosOr(p.Pos, p.Principal.Pos), Key: "source",
				Message: "permission " + p.ID + " lets " + p.Principal.V + " invoke " + permTarget(p) + " for any source: set SourceArn / SourceAccount"}
			if p.Function != nil {
				f.Function, f.Generated = p.Function.ID, p.Function.Generated
			}
			c.Report(f)
		}
	},
}

// spoofable condition keys restrict nothing: the caller sets them.
var spoofable = map[string]bool{"aws:referer": true, "aws:useragent": true}

// openStatement reports whether an Allow statement grants everyone without
// a restricting condition.
func openStatement(s *model.Statement) bool {
	if !s.IsAllow() || s.NotPrincipal {
		return false
	}
	for k := range s.Conditions {
		if !spoofable[k] {
			return false
		}
	}
	for _, p := range s.Principals {
		if p.Value.IsKnown() && p.Value.V == "*" && (p.Type == "*" || p.Type == "AWS") {
			return true
		}
	}
	return false
}

var policyOpen = &Rule{
	ID:       "FG-EXP-012",
	Title:    "Queue, topic or bucket policy open to everyone",
	Severity: High,
	Family:   EXP,
	Risk:     "Attack surface: event sources writable by others (seeds 000, 003)",
	Rationale: "The resource policy allows any principal, without a condition. Anyone can read the data or inject " +
		"events that reach the functions it triggers.",
	Remediation: "Name the principals (accounts, roles, service principals with aws:SourceArn) instead of `*`, or add a condition.",
	Refs: Refs{CWE: []string{"CWE-284"}, Checkov: []string{"CKV_AWS_72", "CKV_AWS_169", "CKV_AWS_70"},
		KICS: []string{"SQS Policy With Public Access", "SNS Topic Is Publicly Accessible", "S3 Bucket Allows Put Action From All Principals", "S3 Bucket With All Permissions"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			switch r.Kind {
			case model.ResQueue, model.ResTopic, model.ResBucket:
			default:
				continue
			}
			for _, s := range r.Policy {
				if openStatement(s) {
					c.Res(r, s.Pos, "open", "%s %s has a policy statement that allows everyone (%s)", r.Kind, r.ID, strings.Join(knownStrings(s.Actions), ", "))
					break
				}
			}
		}
	},
}

var bucketPublic = &Rule{
	ID:       "FG-EXP-013",
	Title:    "Bucket public access not blocked",
	Severity: Medium,
	Family:   EXP,
	Risk:     "Attack surface: public storage (seed 000)",
	Rationale: "The bucket's public access block is switched off (or a public ACL is set): a policy or ACL can make " +
		"its objects, and the functions it triggers, reachable by anyone. New buckets block public access by default.",
	Remediation: "Set all four PublicAccessBlockConfiguration flags to true and remove public ACLs.",
	Refs: Refs{CWE: []string{"CWE-284"}, Checkov: []string{"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"},
		Trivy: []string{"AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"}},
	Check: func(c *Context) {
		for _, r := range c.App.Resources {
			if r.Kind != model.ResBucket {
				continue
			}
			switch {
			case model.IsTrue(r.PublicACL):
				f := Finding{Resource: r.ID, Pos: r.PublicACL.Pos, Key: "acl", Severity: High, Generated: r.Generated,
					Message: "bucket " + r.ID + " has a public ACL"}
				c.Report(f)
			case model.IsFalse(r.PublicAccessBlocked):
				c.Res(r, r.PublicAccessBlocked.Pos, "block", "bucket %s does not block public access", r.ID)
			}
		}
	},
}

var noWAF = &Rule{
	ID:          "FG-EXP-014",
	Title:       "Public REST API stage without WAF",
	Severity:    Low,
	Family:      EXP,
	Profile:     ProfileWellArchitected,
	Risk:        "Attack surface; injection filtering at the edge (seed 000)",
	Rationale:   "No web ACL is associated with the public stage: common injection, bot and flood patterns reach the functions unfiltered.",
	Remediation: "Associate an AWS WAF web ACL with the stage (AWS::WAFv2::WebACLAssociation), with the managed core rule set.",
	Refs:        Refs{CWE: []string{"CWE-693"}, Checkov: []string{"CKV2_AWS_29"}, KICS: []string{"API Gateway Without WAF"}},
	Check: func(c *Context) {
		public := map[*model.Resource]bool{}
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				if t.API != nil && model.IsTrue(t.Public) {
					public[t.API] = true
				}
			}
		}
		for _, api := range c.App.Resources {
			if api.Kind != model.ResAPI || !public[api] || !api.Protocol.IsKnown() || api.Protocol.V != "REST" {
				continue
			}
			for _, st := range api.Stages {
				if st.WAF.IsUnknown() || model.IsTrue(st.WAF) {
					continue
				}
				c.Res(st, st.Pos, "waf", "public stage %s of API %s has no WAF web ACL", st.ID, api.ID)
			}
		}
	},
}

// allPorts reports whether a rule covers every port and protocol.
func allPorts(n model.NetRule) bool {
	p := strings.ToLower(n.Protocol.Or(""))
	if p == "-1" || p == "all" {
		return true
	}
	return n.FromPort.IsKnown() && n.ToPort.IsKnown() && n.FromPort.V <= 0 && n.ToPort.V >= 65535
}

func anywhere(n model.NetRule) bool {
	return n.CIDR.IsKnown() && (n.CIDR.V == "0.0.0.0/0" || n.CIDR.V == "::/0")
}

var egressOpen = &Rule{
	ID:       "FG-NET-001",
	Title:    "VPC function with unrestricted egress",
	Severity: Low,
	Family:   NET,
	Profile:  ProfileWellArchitected,
	Risk:     "Data exfiltration from a compromised function (seeds 000, 003)",
	Rationale: "The function sits in a VPC, yet its security group lets it reach any address on any port: a " +
		"compromised function can exfiltrate data or reach command-and-control anywhere.",
	Remediation: "Replace the allow-all egress rule with rules for the endpoints the function needs (VPC endpoints, the database port).",
	Refs:        Refs{CWE: []string{"CWE-284"}, Checkov: []string{"CKV_AWS_277"}, Trivy: []string{"AVD-AWS-0104"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if fn.VPC == nil {
				continue
			}
			for _, sg := range fn.VPC.SecurityGroups {
				for _, e := range sg.Egress {
					if anywhere(e) && allPorts(e) {
						c.Fn(fn, e.Pos, "egress:"+sg.ID, "function %s can reach any address on any port (security group %s)", fn.ID, sg.ID)
						break
					}
				}
			}
		}
	},
}

var sgIngressOpen = &Rule{
	ID:       "FG-NET-002",
	Title:    "Security group open to the internet",
	Severity: Medium,
	Family:   NET,
	Risk:     "Attack surface (seed 000)",
	Rationale: "The security group accepts traffic from any address. On a function's group this is never needed " +
		"(Lambda takes no inbound connections) and exposes whatever else shares the group; on any group, all ports " +
		"or administration ports open to the internet are an entry point.",
	Remediation: "Remove ingress from 0.0.0.0/0 and ::/0, or restrict it to the load balancer's security group.",
	Refs: Refs{CWE: []string{"CWE-284"}, Checkov: []string{"CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"},
		Trivy: []string{"AVD-AWS-0107"}, CfnNag: []string{"W2", "W9"}},
	Check: func(c *Context) {
		onFn := map[*model.Resource]bool{}
		for _, fn := range c.App.Functions {
			if fn.VPC != nil {
				for _, sg := range fn.VPC.SecurityGroups {
					onFn[sg] = true
				}
			}
		}
		for _, r := range c.App.Resources {
			if r.Kind != model.ResSecurityGroup {
				continue
			}
			for _, in := range r.Ingress {
				if !anywhere(in) {
					continue
				}
				if onFn[r] || allPorts(in) || coversPort(in, 22) || coversPort(in, 3389) {
					c.Res(r, in.Pos, "ingress", "security group %s accepts traffic from %s%s", r.ID, in.CIDR.V, portText(in))
					break
				}
			}
		}
	},
}

func coversPort(n model.NetRule, port int) bool {
	return n.FromPort.IsKnown() && n.ToPort.IsKnown() && n.FromPort.V <= port && port <= n.ToPort.V
}

func portText(n model.NetRule) string {
	switch {
	case allPorts(n):
		return " on all ports"
	case n.FromPort.IsKnown() && n.ToPort.IsKnown() && n.FromPort.V == n.ToPort.V:
		return " on port " + strconv.Itoa(n.FromPort.V)
	case n.FromPort.IsKnown() && n.ToPort.IsKnown():
		return " on ports " + strconv.Itoa(n.FromPort.V) + "-" + strconv.Itoa(n.ToPort.V)
	}
	return ""
}

func init() {
	Register(queueUnencrypted, topicUnencrypted, streamUnencrypted, noCMK, bucketNoTLS, apiCacheUnencrypted,
		dataTrace, accessLogsOff, stageTracingOff, weakPassword, mfaOff, unsafeAuthFlow, jwtNoAudience, methodNoAuth,
		permissionAnyone, confusedDeputy, policyOpen, bucketPublic, noWAF, egressOpen, sgIngressOpen)
}
