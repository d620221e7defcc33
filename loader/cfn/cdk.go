package cfn

import (
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
)

// isCDK reports whether a template is CDK output: it sits in cdk.out or its
// resources carry aws:cdk:path metadata.
func isCDK(file string, root *yaml.Node) bool {
	if strings.Contains("/"+file, "/cdk.out/") {
		return true
	}
	for _, p := range yamlx.Pairs(yamlx.Get(root, "Resources")) {
		if yamlx.Path(p.Value, "Metadata", "aws:cdk:path") != nil {
			return true
		}
	}
	return false
}

// cdkGeneratedPath matches the construct paths and logical IDs of resources
// the CDK creates for its own machinery rather than for the app: custom
// resource providers and their framework functions, BucketDeployment, log
// retention, auto-delete-objects, bucket notifications, AwsCustomResource
// (AWS679f53fac002430cb0da5b7982bd2287) and the CDK metadata resource.
var cdkGeneratedPath = regexp.MustCompile(`(?i)(CustomResourceProvider|Custom::[A-Za-z]+Provider|/Provider/framework-|` +
	`/Provider/(OnEvent|IsComplete|Waiter)|BucketDeployment|Custom::CDKBucketDeployment|LogRetention[0-9a-f]{32}|` +
	`/LogRetention/|AWS679f53fac002430cb0da5b7982bd2287|BucketNotificationsHandler[0-9a-f]{32}|` +
	`AutoDeleteObjects|CDKMetadata|/CdkBootstrap|SingletonLambda[0-9a-f]{32}|AWSCDKCfnUtilsProvider)`)

// cdkGenerated reports whether a resource is CDK-internal.
func cdkGenerated(en *entry) bool {
	if en.Type == "AWS::CDK::Metadata" {
		return true
	}
	if en.Path == "" && !strings.HasPrefix(en.ID, "AWS679f53fac002430cb0da5b7982bd2287") {
		return cdkGeneratedPath.MatchString(en.ID) && strings.Contains(en.ID, "Provider") ||
			strings.HasPrefix(en.ID, "CustomCDKBucketDeployment") || strings.HasPrefix(en.ID, "LogRetention")
	}
	if cdkGeneratedPath.MatchString(en.Path) || cdkGeneratedPath.MatchString(en.ID) {
		return true
	}
	// Provider framework functions carry this handler.
	if h := yamlx.Path(en.Node, "Properties", "Handler"); h != nil && h.Value == "framework.onEvent" {
		return true
	}
	return false
}

// assetPath returns the code asset directory of a CDK function
// (aws:asset:path metadata), relative to the template's directory.
func assetPath(en *entry) string {
	n := yamlx.Path(en.Node, "Metadata", "aws:asset:path")
	if n == nil || n.Kind != yaml.ScalarNode || path.IsAbs(n.Value) || strings.Contains(n.Value, "..") {
		return ""
	}
	return n.Value
}
