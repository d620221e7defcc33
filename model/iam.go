package model

// Role is an execution identity: an IAM role, a managed identity, a service
// account.
type Role struct {
	ID   string // logical ID / address; unique within the application
	Name Str
	Pos  Pos

	Statements      []*Statement
	ManagedPolicies []Str // names or ARNs of attached managed policies
	Trust           []*Statement
	Boundary        Str

	// PerFunction is true for roles a tool creates for exactly one function
	// (the serverless-iam-roles-per-function plugin, SAM's implicit roles).
	PerFunction bool
	// Implicit is true for roles the framework creates without the user
	// declaring them (the Serverless Framework's shared default role).
	Implicit  bool
	Generated bool

	// Functions is filled by Link: every function that uses the role.
	Functions []*Function
}

// Statement is one IAM policy statement (identity or resource policy).
type Statement struct {
	Pos          Pos
	Sid          string
	Effect       Str // Allow | Deny
	Actions      []Str
	NotActions   []Str
	Resources    []Str
	NotResources []Str
	Principals   []Principal
	NotPrincipal bool
	// Conditions maps condition keys (lower case, like aws:sourcearn) to
	// their values; nil when the statement has none.
	Conditions map[string][]Str
	// Origin says where a generated statement came from
	// ("sam:DynamoDBCrudPolicy", "managed:AmazonS3FullAccess").
	Origin string
	// Policy names the policy document the statement belongs to.
	Policy string
}

// IsAllow reports whether the statement is Known to allow.
func (s *Statement) IsAllow() bool { return s.Effect.IsKnown() && s.Effect.V == "Allow" }

// HasCondition reports whether any of the given condition keys is set
// (case-insensitive keys, e.g. "aws:SourceArn").
func (s *Statement) HasCondition(keys ...string) bool {
	for _, k := range keys {
		if _, ok := s.Conditions[lower(k)]; ok {
			return true
		}
	}
	return false
}

// Principal is a policy principal: Type is AWS | Service | Federated | CanonicalUser | *.
type Principal struct {
	Type  string
	Value Str
}

// ResourceKind classifies resources.
type ResourceKind string

const (
	ResQueue          ResourceKind = "queue"
	ResTopic          ResourceKind = "topic"
	ResBucket         ResourceKind = "bucket"
	ResTable          ResourceKind = "table"
	ResStream         ResourceKind = "stream"
	ResAPI            ResourceKind = "api"
	ResStage          ResourceKind = "api-stage"
	ResLogGroup       ResourceKind = "log-group"
	ResUserPool       ResourceKind = "user-pool"
	ResUserPoolClient ResourceKind = "user-pool-client"
	ResKey            ResourceKind = "key"
	ResWAF            ResourceKind = "waf-association"
	ResSecurityGroup  ResourceKind = "security-group"
	ResSecret         ResourceKind = "secret"
	ResParameter      ResourceKind = "parameter"
	ResLayer          ResourceKind = "layer"
	ResStateMachine   ResourceKind = "state-machine"
	ResEventBus       ResourceKind = "event-bus"
	ResTrail          ResourceKind = "trail"
	// ResDomain is an API custom domain name (TLS policy in MinTLSVersion).
	ResDomain ResourceKind = "api-domain"
	// ResAuthorizer is an API authorizer (Attrs["type"]: JWT, TOKEN,
	// REQUEST, COGNITO_USER_POOLS, AWS_IAM).
	ResAuthorizer ResourceKind = "authorizer"
	// ResMethod is an API method or route whose integration is not a
	// function of the app (an HTTP backend, an AWS service, a function
	// elsewhere); routes to the app's functions are triggers instead.
	// Attrs: authorizationType, apiKeyRequired, httpMethod, path,
	// integrationType, and public ("false" for private APIs).
	ResMethod ResourceKind = "api-method"
	ResOther  ResourceKind = "other"
)

// Resource is a cloud resource other than a function, with the security
// properties rules read. Properties that do not apply to a kind stay Absent.
type Resource struct {
	ID   string // logical ID / address
	Kind ResourceKind
	Type string // AWS::SQS::Queue, aws_sqs_queue ...
	Name Str
	ARN  Str
	Pos  Pos

	// Implicit resources are created by the platform or framework without
	// being declared (a function's log group, SAM's ServerlessRestApi).
	Implicit  bool
	Generated bool
	Path      string // CDK construct path

	// Encryption is "none", "service" (provider-managed key) or "kms"
	// (customer-managed key); Absent when not written.
	Encryption Str
	KMSKey     Str
	Policy     []*Statement // resource policy
	// PublicAccessBlocked is Known true when public access is blocked.
	PublicAccessBlocked Bool
	PublicACL           Bool

	// APIs and stages.
	Protocol       Str // REST | HTTP | WEBSOCKET for APIs; HTTP | HTTPS for listeners
	EndpointType   Str // EDGE | REGIONAL | PRIVATE
	Throttle       *Throttle
	UsagePlan      Bool
	AccessLogging  Bool
	DataTrace      Bool
	ExecutionLogs  Str // OFF | ERROR | INFO
	Tracing        Bool
	WAF            Bool
	MinTLSVersion  Str
	CacheEncrypted Bool
	Stages         []*Resource // for APIs
	CORS           *CORS       // API-level CORS configuration

	// Queues, logs, tables.
	VisibilityTimeout Int
	RetentionDays     Int
	PointInTime       Bool

	// Networks.
	Ingress []NetRule
	Egress  []NetRule

	// Cognito user pools and clients.
	UserPool *UserPoolSettings

	// Attrs keeps other named properties a rule may need ("bucket.versioning").
	Attrs map[string]Str
}

// Throttle is an API rate limit.
type Throttle struct {
	Pos   Pos
	Burst Int
	Rate  Int
}

// NetRule is a security-group rule.
type NetRule struct {
	Pos      Pos
	CIDR     Str
	Protocol Str // tcp | udp | -1 (all)
	FromPort Int
	ToPort   Int
}

// UserPoolSettings are a Cognito user pool's authentication settings.
type UserPoolSettings struct {
	MinLength         Int
	RequireLower      Bool
	RequireUpper      Bool
	RequireNumbers    Bool
	RequireSymbols    Bool
	MFA               Str   // OFF | ON | OPTIONAL
	ExplicitAuthFlows []Str // on clients
	AdvancedSecurity  Str
}

// Permission is a resource-based permission that lets a principal invoke a
// function (lambda:AddPermission, aws_lambda_permission, Azure/GCP invoker
// bindings).
type Permission struct {
	ID        string
	Pos       Pos
	Function  *Function
	Target    Str // function name / ARN / reference as written
	Action    Str
	Principal Str
	// SourceArn and SourceAccount scope the permission (confused deputy).
	SourceArn     Str
	SourceAccount Str
	// URLAuthType is set for lambda:InvokeFunctionUrl permissions.
	URLAuthType Str
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
