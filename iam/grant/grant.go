// Package grant connects the application model to IAM policy analysis:
// what a function's role grants (its statements and the managed policies
// it attaches, expanded), and what the function needs (the SDK calls of its
// code plus what its triggers, logs, tracing, network and destinations
// require of the role).
package grant

import (
	"regexp"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/iam/managed"
	"github.com/faasguard/faasguard/iam/policy"
	"github.com/faasguard/faasguard/model"
)

// Granted is a role's effective policy with, per statement index, where it
// was written.
type Granted struct {
	Policy policy.Policy
	Pos    []model.Pos
	// Origin per statement ("managed:AWSLambdaBasicExecutionRole",
	// "serverless:logs", "" for statements the user wrote).
	Origin []string
	// Unknown is true when some statement could not be resolved (an Unknown
	// action or resource): then "unused" is not reported for the role.
	Unknown bool
}

// RolePolicy converts a role into one policy: its statements with Known
// values, then the statements of its AWS managed policies.
func RolePolicy(r *model.Role) Granted {
	var g Granted
	add := func(s policy.Statement, pos model.Pos, origin string) {
		s.Index = len(g.Policy.Statements)
		s.Line = pos.Line
		g.Policy.Statements = append(g.Policy.Statements, s)
		g.Pos = append(g.Pos, pos)
		g.Origin = append(g.Origin, origin)
	}
	for _, st := range r.Statements {
		s, ok := statement(st)
		if !ok {
			g.Unknown = true
			continue
		}
		add(s, st.Pos, st.Origin)
	}
	for _, mp := range r.ManagedPolicies {
		v, ok := mp.Get()
		if !ok {
			g.Unknown = true
			continue
		}
		p, ok := managed.Lookup(v)
		if !ok {
			g.Unknown = true // a customer-managed policy we cannot see
			continue
		}
		name, _ := managed.PolicyName(v)
		for _, s := range p.Statements {
			add(s, mp.Pos, "managed:"+name)
		}
	}
	return g
}

// statement converts a model statement; ok is false when an action or
// resource is Unknown.
func statement(st *model.Statement) (policy.Statement, bool) {
	s := policy.Statement{Sid: st.Sid, Effect: st.Effect.Or("Allow"), HasCondition: len(st.Conditions) > 0}
	if !st.Effect.IsKnown() && st.Effect.State == model.Unknown {
		return s, false
	}
	ok := true
	// An unknown action makes the statement unusable; an unknown resource
	// is read as "*", which can only hide missing permissions, never
	// invent unused ones.
	conv := func(vs []model.Str, unknown string) []string {
		var out []string
		for _, v := range vs {
			switch {
			case v.IsKnown():
				out = append(out, placeholders.ReplaceAllStringFunc(v.V, placeholder))
			case v.IsUnknown() && unknown != "":
				out = append(out, unknown)
			case v.IsUnknown():
				ok = false
			}
		}
		return out
	}
	s.Actions, s.NotActions = conv(st.Actions, ""), conv(st.NotActions, "")
	s.Resources = conv(st.Resources, "*")
	s.NotResources = conv(st.NotResources, "")
	return s, ok
}

// placeholders are deploy-time substitutions left in ARNs
// (${AWS::Region}, #{AWS::AccountId}): the partition is aws, the rest any.
var placeholders = regexp.MustCompile(`[$#]\{[^}]*\}`)

func placeholder(s string) string {
	if strings.Contains(s, "Partition") {
		return "aws"
	}
	return "*"
}

// Needs returns what a function needs its role to allow: its code's SDK
// calls, and the platform's own needs (logs, the trigger's polling, X-Ray,
// VPC networking, destinations).
func Needs(fn *model.Function, app *model.Application) []policy.Need {
	var needs []policy.Need
	add := func(actions []string, resources ...string) {
		for _, a := range actions {
			needs = append(needs, policy.Need{Action: a, Resources: resources})
		}
	}
	if fn.Code != nil {
		for _, c := range fn.Code.SDKCalls {
			var res []string
			for _, r := range c.Resources {
				if v, ok := r.Get(); ok {
					res = append(res, v)
				}
			}
			add(c.Actions, res...)
		}
	}
	lg := logGroupARN(fn)
	add([]string{"logs:CreateLogStream"}, lg+":*")
	add([]string{"logs:PutLogEvents"}, lg+":log-stream:*")
	if model.IsTrue(fn.Tracing) {
		add([]string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, "*")
	}
	if fn.VPC != nil {
		add([]string{"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
			"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"}, "*")
	}
	for _, t := range fn.Triggers {
		src := sourceARN(t)
		switch {
		case t.Kind == model.TriggerQueue && strings.EqualFold(t.Type, "sqs"):
			add([]string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}, src)
		case t.Kind == model.TriggerStream && strings.Contains(strings.ToLower(src+t.Type), "dynamodb"):
			add([]string{"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"}, src)
		case t.Kind == model.TriggerStream && strings.Contains(strings.ToLower(src+t.Type), "kinesis"):
			add([]string{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:ListStreams"}, src)
		}
		if v, ok := t.OnFailure.Get(); ok {
			add(destinationActions(v), v)
		}
	}
	for _, d := range []model.Str{fn.OnFailure, fn.DeadLetter} {
		if v, ok := d.Get(); ok {
			add(destinationActions(v), v)
		}
	}
	return merge(needs)
}

func logGroupARN(fn *model.Function) string {
	if fn.LogGroup != nil {
		if a, ok := fn.LogGroup.ARN.Get(); ok {
			return a
		}
		if n, ok := fn.LogGroup.Name.Get(); ok {
			return "arn:aws:logs:*:*:log-group:" + n
		}
	}
	return "arn:aws:logs:*:*:log-group:*"
}

func sourceARN(t *model.Trigger) string {
	if t.Source != nil {
		if a, ok := t.Source.ARN.Get(); ok {
			return a
		}
		if n, ok := t.Source.Name.Get(); ok {
			switch t.Source.Kind {
			case model.ResQueue:
				return "arn:aws:sqs:*:*:" + n
			case model.ResStream:
				return "arn:aws:kinesis:*:*:stream/" + n
			case model.ResTopic:
				return "arn:aws:sns:*:*:" + n
			}
		}
	}
	if v, ok := t.SourceRef.Get(); ok && strings.HasPrefix(v, "arn:") {
		return v
	}
	return "*"
}

func destinationActions(arn string) []string {
	switch {
	case strings.HasPrefix(arn, "arn:aws:sqs:") || strings.Contains(arn, "Queue"):
		return []string{"sqs:SendMessage"}
	case strings.HasPrefix(arn, "arn:aws:sns:") || strings.Contains(arn, "Topic"):
		return []string{"sns:Publish"}
	case strings.HasPrefix(arn, "arn:aws:lambda:"):
		return []string{"lambda:InvokeFunction"}
	case strings.HasPrefix(arn, "arn:aws:events:"):
		return []string{"events:PutEvents"}
	}
	return nil
}

// merge joins needs of the same action, and drops resources when one need
// of an action has them unknown.
func merge(needs []policy.Need) []policy.Need {
	byAction := map[string]map[string]bool{}
	unknown := map[string]bool{}
	for _, n := range needs {
		if byAction[n.Action] == nil {
			byAction[n.Action] = map[string]bool{}
		}
		if len(n.Resources) == 0 {
			unknown[n.Action] = true
		}
		for _, r := range n.Resources {
			byAction[n.Action][r] = true
		}
	}
	out := make([]policy.Need, 0, len(byAction))
	for a, rs := range byAction {
		n := policy.Need{Action: a}
		if !unknown[a] {
			for r := range rs {
				n.Resources = append(n.Resources, r)
			}
			sort.Strings(n.Resources)
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// Analyzable reports whether a function's needs are known well enough to
// diff: its handler was resolved to code that was read.
func Analyzable(fn *model.Function) bool {
	return fn.Code != nil && fn.Code.EntryFile != ""
}
