package rules

import (
	"fmt"
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
	"github.com/faasguard/faasguard/iam/policy"
	"github.com/faasguard/faasguard/model"
)

var functionURLNoAuth = &Rule{
	ID:       "FG-EXP-001",
	Title:    "Function URL without authentication",
	Severity: Critical,
	Family:   EXP,
	Risk:     "Broken authentication; the attack surface grows with every event source (seeds 000, 001)",
	Rationale: "A Lambda function URL with AuthType NONE is a public HTTPS endpoint that anyone on the internet can " +
		"invoke: no API Gateway in front, so no authorizer, no throttling, no WAF and no usage plan. Every call runs " +
		"and bills the function.",
	Remediation: "Set the function URL's auth type to AWS_IAM (Serverless: `url: {authorizer: aws_iam}`; SAM: " +
		"`FunctionUrlConfig.AuthType: AWS_IAM`; Terraform: `authorization_type = \"AWS_IAM\"`), or put the function behind " +
		"an API with an authorizer. If the endpoint must be public, authenticate inside the handler and set reserved concurrency.",
	Refs: Refs{CWE: []string{"CWE-306"}, OWASP: []string{"SAS-2: Broken Authentication"},
		Checkov: []string{"CKV_AWS_258"}, KICS: []string{"Lambda Function URL Auth Type None"}, Trivy: []string{"AVD-AWS-0143"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if fn.URL == nil || !fn.URL.AuthType.IsKnown() {
				continue
			}
			if strings.EqualFold(fn.URL.AuthType.V, "NONE") {
				c.Fn(fn, model.PosOr(fn.URL.Pos, fn.URL.AuthType.Pos), "url",
					"function %s has a public function URL with auth type NONE", fn.ID)
			}
		}
		for _, p := range c.App.Permissions {
			if p.URLAuthType.IsKnown() && strings.EqualFold(p.URLAuthType.V, "NONE") && p.Principal.IsKnown() && p.Principal.V == "*" {
				target := p.Target.Or(p.ID)
				if p.Function != nil {
					if p.Function.URL != nil {
						continue // reported on the URL itself
					}
					target = p.Function.ID
				}
				c.Report(Finding{Function: fnID(p.Function), Pos: p.Pos, Key: "perm:" + p.ID,
					Message: fmt.Sprintf("permission %s lets anyone invoke the function URL of %s without authentication", p.ID, target)})
			}
		}
	},
}

func fnID(f *model.Function) string {
	if f == nil {
		return ""
	}
	return f.ID
}

// writeActionsFor lists, per source kind, the actions that put an event into
// that source: a function allowed one of them on its own trigger's source
// can invoke itself forever.
var writeActionsFor = map[model.ResourceKind][]string{
	model.ResBucket: {"s3:PutObject", "s3:CopyObject", "s3:CompleteMultipartUpload", "s3:RestoreObject"},
	model.ResQueue:  {"sqs:SendMessage", "sqs:SendMessageBatch"},
	model.ResTopic:  {"sns:Publish"},
	model.ResStream: {"kinesis:PutRecord", "kinesis:PutRecords"},
	model.ResTable:  {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:TransactWriteItems"},
}

var triggerSourceKind = map[model.TriggerKind]model.ResourceKind{
	model.TriggerStorage: model.ResBucket,
	model.TriggerQueue:   model.ResQueue,
	model.TriggerTopic:   model.ResTopic,
}

var recursiveLoop = &Rule{
	ID:       "FG-EXP-002",
	Title:    "Recursive trigger loop",
	Severity: High,
	Family:   EXP,
	Risk:     "Denial of wallet: a function that re-triggers itself runs and bills without bound (seed 000)",
	Rationale: "The function is triggered by a bucket, queue, topic, stream or table and its role may write to that same " +
		"source. One bug or one crafted event makes it invoke itself in a loop: thousands of concurrent executions " +
		"and a bill that grows until someone notices. AWS detects some loops after 16 iterations; many shapes it does not.",
	Remediation: "Write results to a different bucket, queue or topic than the one that triggers the function, or filter " +
		"the trigger (S3 prefix/suffix filter that excludes what the function writes, SQS/SNS message filtering) and " +
		"scope the role's write permission to the output resource only. Set reserved concurrency as a circuit breaker.",
	Refs: Refs{CWE: []string{"CWE-674", "CWE-400"}, OWASP: []string{"SAS-6: Denial of Service & Financial Resource Exhaustion"},
		Docs: []string{"https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html"}},
	Check: func(c *Context) {
		writers := map[*model.Role]map[model.ResourceKind][]loopStatement{}
		for _, fn := range c.App.Functions {
			if fn.Role == nil {
				continue
			}
			byKind, ok := writers[fn.Role]
			if !ok {
				byKind = writeStatements(fn.Role)
				writers[fn.Role] = byKind
			}
			for _, t := range fn.Triggers {
				kind, ok := triggerSourceKind[t.Kind]
				if t.Source != nil {
					kind, ok = t.Source.Kind, true
				}
				if !ok || len(byKind[kind]) == 0 {
					continue
				}
				names := t.SourceNames()
				if len(names) == 0 {
					continue
				}
				for _, ls := range byKind[kind] {
					res := ls.grants(names)
					if res == "" {
						continue
					}
					f := Finding{Function: fn.ID, Pos: model.PosOr(fn.Pos, t.Pos), Key: "src:" + names[0] + ":" + ls.action,
						Message: fmt.Sprintf("function %s is triggered by %s %s and its role allows %s on %s: it can trigger itself in a loop",
							fn.ID, kind, names[0], ls.action, res),
						Related: []Related{{Pos: ls.s.Pos, Message: "the statement that allows the write"}}}
					if res == "*" {
						f.Severity = Medium
						f.Message += " (through Resource \"*\")"
					}
					c.Report(f)
					break
				}
			}
		}
	},
}

// loopStatement is an Allow statement that lets a role put events into a
// kind of source, with the write action it allows.
type loopStatement struct {
	s      *model.Statement
	action string
}

// writeStatements indexes, once per role, the statements that allow
// writing into each kind of trigger source: a role shared by thousands of
// functions is scanned once, not once per function.
func writeStatements(r *model.Role) map[model.ResourceKind][]loopStatement {
	out := map[model.ResourceKind][]loopStatement{}
	for _, s := range allowStatements(r) {
		acts := knownStrings(s.Actions)
		for kind, writes := range writeActionsFor {
		next:
			for _, w := range writes {
				for _, a := range acts {
					if policy.MatchAction(a, w) {
						out[kind] = append(out[kind], loopStatement{s, w})
						break next
					}
				}
			}
		}
	}
	return out
}

// grants returns the resource by which the statement covers a source
// known by names, or "".
func (ls loopStatement) grants(names []string) string {
	for _, r := range ls.s.Resources {
		if !r.IsKnown() {
			continue
		}
		if r.V == "*" {
			return "*"
		}
		for _, n := range names {
			if resourceNames(r.V, n) {
				return r.V
			}
		}
	}
	return ""
}

// resourceNames reports whether a policy resource string designates the
// resource known as name (a bare name, an ARN or a logical ID).
func resourceNames(res, name string) bool {
	if res == name {
		return true
	}
	if strings.HasPrefix(name, "arn:") {
		return catalog.MatchFold(res, name) ||
			catalog.MatchFold(res, name+"/x") // bucket/* covers objects
	}
	// Compare the last ARN component (bucket, queue, topic, table name);
	// bucket object ARNs end in name/*.
	last := res
	if strings.HasPrefix(res, "arn:") {
		parts := strings.SplitN(res, ":", 6)
		if len(parts) == 6 {
			last = parts[5]
		}
	}
	last = strings.TrimPrefix(last, "table/")
	last = strings.TrimPrefix(last, "stream/")
	if i := strings.IndexByte(last, '/'); i >= 0 {
		last = last[:i]
	}
	return catalog.Match(last, name) || strings.Contains(res, "{"+name+"}") || strings.Contains(res, name+".Arn")
}

var corsAnyOrigin = &Rule{
	ID:       "FG-EXP-003",
	Title:    "CORS allows any origin",
	Severity: Medium,
	Family:   EXP,
	Risk:     "The attack surface grows with every event source (seed 000)",
	Rationale: "Access-Control-Allow-Origin `*` lets every web page read the API's responses from a visitor's browser. " +
		"With credentials allowed (or write methods open), a malicious site can act as the logged-in user.",
	Remediation: "List the origins that need the API (`cors: {origin: https://app.example.com}`, `AllowOrigins`, " +
		"`allowed_origins`). Never combine `*` with credentials.",
	Refs: Refs{CWE: []string{"CWE-942"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"},
		Checkov: []string{"CKV_AZURE_62", "CKV_AWS_CORS"}, KICS: []string{"API Gateway With CORS Allowing All Origins"}},
	Check: func(c *Context) {
		seen := map[string]bool{}
		report := func(fn *model.Function, cors *model.CORS, what string) {
			any, pos := cors.AllowsAnyOrigin()
			if !any || seen[pos.String()] {
				return
			}
			seen[pos.String()] = true
			f := Finding{Pos: pos, Key: "cors:" + what, Message: fmt.Sprintf("%s allows any origin (*)", what)}
			if fn != nil {
				f.Function = fn.ID
			}
			if model.IsTrue(cors.Credentials) {
				f.Severity = High
				f.Message += " with credentials"
			}
			c.Report(f)
		}
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				if t.CORS != nil {
					report(fn, t.CORS, fmt.Sprintf("%s event of function %s", t.Type, fn.ID))
				}
			}
			if fn.URL != nil && fn.URL.CORS != nil {
				report(fn, fn.URL.CORS, "function URL of "+fn.ID)
			}
			if fn.Platform.CORS != nil {
				report(fn, fn.Platform.CORS, "function app of "+fn.ID)
			}
		}
		for _, r := range c.App.Resources {
			if r.CORS != nil {
				report(nil, r.CORS, "API "+r.ID)
			}
		}
	},
}

func init() { Register(functionURLNoAuth, recursiveLoop, corsAnyOrigin) }

// anyoneCanWrite returns the statement by which a bucket policy lets any
// principal put objects, unscoped by a condition.
func anyoneCanWrite(r *model.Resource) *model.Statement {
	for _, s := range r.Policy {
		if !s.IsAllow() || len(s.Conditions) > 0 {
			continue
		}
		public := s.NotPrincipal
		for _, p := range s.Principals {
			if v, ok := p.Value.Get(); ok && v == "*" {
				public = true
			}
		}
		if !public {
			continue
		}
		for _, a := range knownStrings(s.Actions) {
			if policy.MatchAction(a, "s3:PutObject") {
				return s
			}
		}
	}
	return nil
}

var writableTriggerBucket = &Rule{
	ID:       "FG-EXP-004",
	Title:    "Function triggered by a bucket anyone can write to",
	Severity: High,
	Family:   EXP,
	Risk:     "The attack surface grows with every event source; untrusted message formats (seeds 000, 001)",
	Rationale: "The bucket whose events invoke the function lets anyone upload objects (its policy allows s3:PutObject " +
		"to every principal, or its ACL is public-read-write). Anyone on the internet can then invoke the function with " +
		"object keys and contents of their choice, as often as they like: injection and denial of wallet without any credentials.",
	Remediation: "Remove public write access from the bucket (grant s3:PutObject only to the roles that upload, keep " +
		"Block Public Access on), or have uploads go through presigned URLs issued by an authenticated API.",
	Refs: Refs{CWE: []string{"CWE-284", "CWE-732"}, OWASP: []string{"SAS-1: Function Event-Data Injection", "SAS-6: Denial of Service & Financial Resource Exhaustion"},
		KICS: []string{"S3 Bucket Allows Put Action From All Principals"}, Checkov: []string{"CKV_AWS_70"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				b := t.Source
				if t.Kind != model.TriggerStorage || b == nil || b.Kind != model.ResBucket {
					continue
				}
				if s := anyoneCanWrite(b); s != nil {
					c.Report(Finding{Function: fn.ID, Pos: model.PosOr(t.Pos, fn.Pos), Key: "writable:" + b.ID,
						Message: fmt.Sprintf("function %s is triggered by bucket %s, whose policy lets anyone upload objects", fn.ID, b.ID),
						Related: []Related{{Pos: s.Pos, Message: "the statement that allows public writes"}}})
				} else if model.IsTrue(b.PublicACL) {
					c.Report(Finding{Function: fn.ID, Pos: model.PosOr(t.Pos, fn.Pos), Key: "writable:" + b.ID,
						Message: fmt.Sprintf("function %s is triggered by bucket %s, whose ACL is public", fn.ID, b.ID)})
				}
			}
		}
	},
}

func init() { Register(writableTriggerBucket) }

var unlinkedTrigger = &Rule{
	ID:       "FG-EXP-005",
	Title:    "Trigger or permission for a function the app does not define",
	Severity: Medium,
	Family:   EXP,
	Risk:     "Unlinked triggers; the attack surface grows with every event source (seed 000)",
	Rationale: "A permission, event source mapping or function URL points at a function that is not defined " +
		"(removed, renamed, or referenced by mistake). The grant outlives its purpose: whoever later creates a " +
		"function by that name inherits the trigger or the permission, and nobody reviews an entry point that " +
		"the code no longer explains.",
	Remediation: "Remove the stale permission, mapping or URL, or point it at the function that should own it.",
	Refs:        Refs{CWE: []string{"CWE-1164", "CWE-284"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"}},
	Check: func(c *Context) {
		for _, u := range c.App.Unlinked {
			what := u.Type + " " + u.Resource
			if strings.HasPrefix(u.Resource, u.Type+".") {
				what = u.Resource // a Terraform address names its type already
			}
			c.Report(Finding{Resource: u.Resource, Pos: u.Pos, Key: "unlinked:" + u.Resource,
				Message: fmt.Sprintf("%s points at %s, which this application does not define", what, u.Ref)})
		}
	},
}

func init() { Register(unlinkedTrigger) }
