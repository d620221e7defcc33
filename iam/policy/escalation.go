package policy

import (
	"strconv"
	"strings"
)

// EscalationMethod is a publicly documented way for a principal to raise
// its own privileges when it holds every action in Actions.
type EscalationMethod struct {
	ID          string   // stable identifier, e.g. "iam-create-policy-version"
	Actions     []string // all of them are needed
	Description string
	Reference   string
}

const (
	refRhino     = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"
	refBishopFox = "https://github.com/BishopFox/iam-vulnerable"
)

// escalationMethods is the table of known methods: Rhino Security Labs'
// list, then the further methods Bishop Fox's iam-vulnerable documents.
var escalationMethods = []EscalationMethod{
	{"iam-create-policy-version", []string{"iam:CreatePolicyVersion"}, "create a new default version of a customer managed policy that grants anything", refRhino},
	{"iam-set-default-policy-version", []string{"iam:SetDefaultPolicyVersion"}, "make a more permissive old version of a managed policy the default", refRhino},
	{"ec2-run-instances-pass-role", []string{"iam:PassRole", "ec2:RunInstances"}, "launch an instance with a more privileged role and read its credentials", refRhino},
	{"iam-create-access-key", []string{"iam:CreateAccessKey"}, "create access keys for another, more privileged user", refRhino},
	{"iam-create-login-profile", []string{"iam:CreateLoginProfile"}, "set a console password on a user that has none", refRhino},
	{"iam-update-login-profile", []string{"iam:UpdateLoginProfile"}, "change another user's console password", refRhino},
	{"iam-attach-user-policy", []string{"iam:AttachUserPolicy"}, "attach AdministratorAccess to a user", refRhino},
	{"iam-attach-group-policy", []string{"iam:AttachGroupPolicy"}, "attach AdministratorAccess to a group", refRhino},
	{"iam-attach-role-policy", []string{"iam:AttachRolePolicy"}, "attach AdministratorAccess to a role, including the function's own", refRhino},
	{"iam-put-user-policy", []string{"iam:PutUserPolicy"}, "write an inline policy granting anything to a user", refRhino},
	{"iam-put-group-policy", []string{"iam:PutGroupPolicy"}, "write an inline policy granting anything to a group", refRhino},
	{"iam-put-role-policy", []string{"iam:PutRolePolicy"}, "write an inline policy granting anything to a role, including the function's own", refRhino},
	{"iam-add-user-to-group", []string{"iam:AddUserToGroup"}, "join a more privileged group", refRhino},
	{"iam-update-assume-role-policy", []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, "rewrite a privileged role's trust policy and assume it", refRhino},
	{"lambda-create-invoke-pass-role", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, "create a function with a more privileged role and invoke it", refRhino},
	{"lambda-create-event-source-pass-role", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, "create a function with a more privileged role and have a stream or queue trigger it", refRhino},
	{"lambda-update-function-code", []string{"lambda:UpdateFunctionCode"}, "replace the code of a function that runs with a more privileged role", refRhino},
	{"glue-create-dev-endpoint-pass-role", []string{"iam:PassRole", "glue:CreateDevEndpoint"}, "create a Glue development endpoint with a more privileged role and log in to it", refRhino},
	{"glue-update-dev-endpoint", []string{"glue:UpdateDevEndpoint"}, "add an SSH key to an existing Glue development endpoint and use its role", refRhino},
	{"cloudformation-create-stack-pass-role", []string{"iam:PassRole", "cloudformation:CreateStack"}, "create a stack that runs with a more privileged role and creates anything", refRhino},
	{"datapipeline-pass-role", []string{"iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"}, "create a data pipeline that runs commands with a more privileged role", refRhino},
	{"lambda-create-add-permission-pass-role", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"}, "create a function with a more privileged role and allow oneself to invoke it", refBishopFox},
	{"glue-create-job-pass-role", []string{"iam:PassRole", "glue:CreateJob", "glue:StartJobRun"}, "create and run a Glue job with a more privileged role", refBishopFox},
	{"codebuild-create-project-pass-role", []string{"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"}, "create and run a build project with a more privileged role", refBishopFox},
	{"sagemaker-notebook-pass-role", []string{"iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"}, "create a notebook instance with a more privileged role and open it", refBishopFox},
	{"ecs-run-task-pass-role", []string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}, "run a container task with a more privileged role", refBishopFox},
	{"ssm-send-command", []string{"ssm:SendCommand"}, "run commands on an instance whose role is more privileged", refBishopFox},
}

// EscalationMethods returns the table of known escalation methods.
func EscalationMethods() []EscalationMethod {
	out := make([]EscalationMethod, len(escalationMethods))
	copy(out, escalationMethods)
	return out
}

// Link is one step of an escalation chain: the statement that grants one of
// the method's actions.
type Link struct {
	Action          string
	Statement       int // Statement.Index
	Sid             string
	Line            int
	Resources       []string // what the statement allows the action on
	ThroughWildcard bool     // granted by a wildcard or NotAction, not by name
	Conditional     bool     // the statement has a condition, which may prevent the step
}

// Escalation is a method the policy makes possible, with the statements
// that grant each of its actions.
type Escalation struct {
	Method EscalationMethod
	Chain  []Link
	// Severity is Critical when every link is unconditional and on all
	// resources, High otherwise.
	Severity Severity
}

// Escalations reports every known escalation method that the policy
// grants. An action counts as granted when an Allow statement matches it on
// some resource and no unconditional Deny removes it from every resource;
// conditions on Allow are assumed to hold, as in IsAllowed.
func Escalations(p Policy) []Escalation {
	var out []Escalation
	for _, m := range escalationMethods {
		chain := make([]Link, 0, len(m.Actions))
		critical := true
		for _, a := range m.Actions {
			l, ok := p.grantLink(a)
			if !ok {
				break
			}
			critical = critical && !l.Conditional && len(l.Resources) == 1 && l.Resources[0] == "*"
			chain = append(chain, l)
		}
		if len(chain) != len(m.Actions) {
			continue
		}
		sev := High
		if critical {
			sev = Critical
		}
		out = append(out, Escalation{Method: m, Chain: chain, Severity: sev})
	}
	return out
}

// grantLink finds the statement that allows action on some resource,
// preferring an unconditional one.
func (p Policy) grantLink(action string) (Link, bool) {
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Effect != Deny || st.HasCondition {
			continue
		}
		if m, _ := st.actionMatch(action); m && len(st.NotResources) == 0 && st.coversAllResources() {
			return Link{}, false
		}
	}
	var best Link
	found := false
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Effect != Allow {
			continue
		}
		m, wild := st.actionMatch(action)
		if !m || (found && st.HasCondition) {
			continue
		}
		res := st.Resources
		if st.coversAllResources() {
			res = []string{"*"}
		}
		best = Link{Action: action, Statement: st.Index, Sid: st.Sid, Line: st.Line, Resources: res, ThroughWildcard: wild, Conditional: st.HasCondition}
		found = true
		if !st.HasCondition {
			break
		}
	}
	return best, found
}

// String renders the chain as "iam:PassRole (statement 0) + lambda:CreateFunction (statement 1)".
func (e Escalation) String() string {
	parts := make([]string, len(e.Chain))
	for i, l := range e.Chain {
		var b strings.Builder
		b.WriteString(l.Action)
		b.WriteString(" (statement ")
		b.WriteString(strconv.Itoa(l.Statement))
		if l.Sid != "" {
			b.WriteString(" " + l.Sid)
		}
		b.WriteString(")")
		parts[i] = b.String()
	}
	return e.Method.ID + ": " + strings.Join(parts, " + ")
}
