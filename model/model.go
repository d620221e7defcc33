package model

// Provider is the cloud an application runs on.
type Provider string

const (
	AWS   Provider = "aws"
	Azure Provider = "azure"
	GCP   Provider = "gcp"
)

// Application is one deployable unit: a serverless.yml service, a
// CloudFormation/SAM stack, a Terraform root module, an Azure function app
// project. Loaders create it; linking (Link) fills the back-references.
type Application struct {
	Name     string
	Format   string // serverless | cloudformation | sam | cdk | terraform | azure-functions | arm
	Provider Provider
	// File is the main config file, relative to the scan root; Dir its
	// directory relative to the root ("." for the root itself).
	File  string
	Dir   string
	Stage Str

	Functions   []*Function
	Roles       []*Role
	Resources   []*Resource
	Permissions []*Permission
	Notes       []Note

	// Suppressions are the faasguard:ignore directives that apply to this
	// app: inline comments in its files and suppressions in template
	// metadata (CloudFormation Metadata, CDK/SAM sources).
	Suppressions []Suppression

	// Unlinked are triggers, permissions and URLs that name a function the
	// application does not define (a Ref to a removed function, a Terraform
	// reference to an undeclared resource).
	Unlinked []Unlinked

	// CodeFindings are analyser findings in files of the application that
	// belong to no function's code (committed .env files, keys, configs).
	CodeFindings []CodeFinding

	// Embedded holds template fragments of another format found inside this
	// app's config (the resources: section of a serverless.yml); the loader
	// for that format merges them into this app.
	Embedded []Embedded
}

// Embedded is a fragment of another format inside an app's config.
type Embedded struct {
	Format string // "cloudformation"
	File   string
	// Node is the parsed fragment (*yaml.Node for YAML sources); kept as any
	// so the model does not depend on a parser.
	Node any
	// Resolve, when set, resolves the host format's variables in a string
	// (for ${self:...} inside a serverless.yml resources section).
	Resolve func(s string) (string, bool)
}

// Note is something the user should know that is not a finding: a file that
// could not be parsed, a variable left unresolved, a file skipped.
type Note struct {
	Level   NoteLevel `json:"level"`
	Pos     Pos       `json:"location"`
	Message string    `json:"message"`
}

// NoteLevel grades a Note.
type NoteLevel string

const (
	NoteInfo  NoteLevel = "info"
	NoteWarn  NoteLevel = "warning"
	NoteError NoteLevel = "error" // the file or part could not be scanned
)

// Function is one function of an application.
type Function struct {
	// ID is the stable logical name: the serverless.yml key, the CFN logical
	// ID, the Terraform address. Findings and fingerprints use it.
	ID   string
	Name Str // deployed name where known
	Pos  Pos // where the function is declared

	Runtime      Str
	Handler      Str
	CodeDir      Str // code location relative to the config file's directory (SAM CodeUri, TF source_dir)
	Architecture Str
	Timeout      Int // seconds
	MemoryMB     Int
	// ReservedConcurrency is Absent when none is reserved.
	ReservedConcurrency Int
	// ProvisionedConcurrency is the number of pre-initialized instances
	// (Serverless provisionedConcurrency, SAM ProvisionedConcurrencyConfig).
	ProvisionedConcurrency Int
	// Image is the container image a function is deployed from (package
	// type Image); Absent for zip packages.
	Image Str
	// Artifact is a prebuilt deployment package named in the config
	// (Serverless package.artifact), relative to the config's directory.
	Artifact         Str
	Environment      []EnvVar
	KMSKey           Str // key encrypting environment variables
	Role             *Role
	RoleRef          Str // how the config names the role, when it is not a modelled Role
	Triggers         []*Trigger
	Layers           []Str
	VPC              *VPCConfig
	Tracing          Bool // active tracing (X-Ray / App Insights / Cloud Trace)
	LogGroup         *Resource
	DeadLetter       Str // DLQ target for async invocations
	OnFailure        Str // on-failure destination for async invocations
	MaxRetryAttempts Int // async retry attempts (EventInvokeConfig)
	MaxEventAge      Int
	URL              *FunctionURL
	Tags             map[string]Str
	Stage            Str

	// Generated marks functions a framework created for itself (CDK
	// custom-resource providers, log-retention functions).
	Generated bool
	// Path is the construct path (CDK aws:cdk:path) where known.
	Path string

	// Platform holds properties of Azure / GCP hosting; zero on AWS.
	Platform Platform

	// Code is filled by code analysis (not by loaders).
	Code *Code
}

// EnvVar is one environment variable of a function.
type EnvVar struct {
	Name  string
	Value Str
	Pos   Pos // position of the name
	// FromSecretStore is true when the value is a reference to a secret store
	// (Key Vault reference, GCP secret_environment_variables, SSM/Secrets
	// Manager dynamic reference).
	FromSecretStore bool
}

// VPCConfig places a function in a network.
type VPCConfig struct {
	Pos              Pos
	SubnetIDs        []Str
	SecurityGroupIDs []Str
	SecurityGroups   []*Resource // resolved security groups
	Connector        Str         // GCP VPC connector / Azure VNet integration
}

// FunctionURL is a Lambda function URL.
type FunctionURL struct {
	Pos      Pos
	AuthType Str // NONE | AWS_IAM
	CORS     *CORS
}

// Platform holds hosting properties that only Azure and GCP expose.
type Platform struct {
	HTTPSOnly       Bool
	MinTLSVersion   Str
	FTPSState       Str  // AllAllowed | FtpsOnly | Disabled
	AuthEnabled     Bool // App Service authentication / IAM-only invocation
	ManagedIdentity Bool
	ServiceAccount  Str // GCP service account email; "default" forms count as default
	Ingress         Str // ALLOW_ALL | ALLOW_INTERNAL_ONLY | ALLOW_INTERNAL_AND_GCLB | all | internal ...
	SecurityLevel   Str // GCP https_trigger_security_level
	ClientCertMode  Str
	RemoteDebugging Bool
	CORS            *CORS
	// Declared is true when the hosting resource itself is declared (an
	// ARM / Terraform function app, a Cloud Function or Cloud Run service),
	// so Absent properties take the platform's default rather than being
	// unknown (a bare function.json project says nothing about its app).
	Declared bool
}

// Code is what code analysis learned about a function's code.
type Code struct {
	EntryFile string // relative to the scan root
	Symbol    string
	Root      string // code root relative to the scan root
	Language  string
	// Unresolved says why the handler could not be resolved to a file.
	Unresolved string
	Findings   []CodeFinding
	Packages   []Package
	SDKCalls   []SDKCall
}

// CodeFinding is a finding of a code analyser (taint, secrets, dependency),
// to be turned into a rule finding by the rule of its Kind.
type CodeFinding struct {
	Kind       string // taint class, "secret", "vulnerable-dependency", "no-lockfile", "unpinned" ...
	Pos        Pos
	Message    string
	Detail     map[string]string
	Confidence string
	Severity   string // analyser's own severity where it has one (CVSS)
	// Trace is the data-flow path from source to sink, with the expression
	// at each step in TraceText.
	Trace     []Pos
	TraceText []string
}

// Package is one dependency found in a function's code root.
type Package struct {
	Name      string
	Version   string
	Ecosystem string
	PURL      string
	Pos       Pos
}

// SDKCall is one cloud SDK call found in a function's code.
type SDKCall struct {
	Pos       Pos
	Service   string
	Operation string
	Actions   []string
	Resources []Str
}

// TriggerKind classifies what invokes a function.
type TriggerKind string

const (
	TriggerHTTP      TriggerKind = "http"
	TriggerWebSocket TriggerKind = "websocket"
	TriggerStorage   TriggerKind = "storage"
	TriggerQueue     TriggerKind = "queue"
	TriggerTopic     TriggerKind = "topic"
	TriggerStream    TriggerKind = "stream"
	TriggerSchedule  TriggerKind = "schedule"
	TriggerEventBus  TriggerKind = "eventbus"
	TriggerIoT       TriggerKind = "iot"
	TriggerAuthHook  TriggerKind = "auth-hook"
	TriggerLog       TriggerKind = "log"
	TriggerOther     TriggerKind = "other"
)

// Async reports whether the platform invokes the function asynchronously for
// this kind of trigger, so failed events are retried then dropped unless a
// DLQ or on-failure destination is set.
func (k TriggerKind) Async() bool {
	switch k {
	case TriggerStorage, TriggerTopic, TriggerSchedule, TriggerEventBus, TriggerIoT, TriggerLog:
		return true
	}
	return false
}

// Polled reports whether the platform polls a source (event source mapping)
// rather than pushing events.
func (k TriggerKind) Polled() bool { return k == TriggerQueue || k == TriggerStream }

// AuthKind is how a trigger authenticates callers.
type AuthKind string

const (
	AuthNone        AuthKind = "none"
	AuthIAM         AuthKind = "iam"
	AuthJWT         AuthKind = "jwt"
	AuthCognito     AuthKind = "cognito"
	AuthCustom      AuthKind = "custom" // a Lambda authorizer
	AuthAPIKey      AuthKind = "api-key"
	AuthFunctionKey AuthKind = "function-key" // Azure function / admin keys
	AuthPlatform    AuthKind = "platform"     // the cloud authenticates the caller (GCP IAM invoker)
)

// Trigger is one event source of a function.
type Trigger struct {
	Kind TriggerKind
	Type string // the format's own name: http, httpApi, Api, aws_lambda_event_source_mapping ...
	Pos  Pos

	Source    *Resource // the bucket, queue, topic, stream, API ... when modelled
	SourceRef Str       // ARN, name or reference of the source as written

	// HTTP-shaped triggers.
	API            *Resource
	Method         Str
	Path           Str
	Auth           Val[AuthKind]
	Authorizer     Str // authorizer name / ARN
	JWTAudience    []Str
	APIKeyRequired Bool
	// Public is Known true when the trigger is reachable from the internet,
	// Known false for private/internal endpoints.
	Public Bool
	CORS   *CORS

	// Polled sources.
	BatchSize        Int
	MaxRetryAttempts Int
	BisectOnError    Bool
	OnFailure        Str
	Enabled          Bool
}

// CORS is a cross-origin policy.
type CORS struct {
	Pos         Pos
	Origins     []Str
	Methods     []Str
	Headers     []Str
	Credentials Bool
}

// AllowsAnyOrigin reports whether the policy allows every origin.
func (c *CORS) AllowsAnyOrigin() (bool, Pos) {
	if c == nil {
		return false, Pos{}
	}
	for _, o := range c.Origins {
		if o.IsKnown() && o.V == "*" {
			return true, PosOr(c.Pos, o.Pos)
		}
	}
	return false, Pos{}
}

// Suppression is one faasguard:ignore directive.
type Suppression struct {
	Pos Pos
	// Rules are rule IDs, families ("IAM") or globs ("FG-IAM-*").
	Rules  []string
	Reason string
	// Until is the expiry date (YYYY-MM-DD) or "".
	Until string
	// Subject, when set, is the function or resource ID the directive was
	// attached to (CloudFormation Metadata); otherwise it applies by line.
	Subject string
	// Problem says why the directive is not valid ("no reason given"); an
	// invalid directive suppresses nothing.
	Problem string
}

// Unlinked is a resource that points at a function the application does
// not define.
type Unlinked struct {
	Pos      Pos
	Resource string // the permission, mapping or URL: logical ID or address
	Type     string // its type (AWS::Lambda::Permission, aws_lambda_event_source_mapping ...)
	Ref      string // the reference as written
}
