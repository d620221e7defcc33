// Package all links every loader, analyser and report format into a
// binary: import it for its side effects.
package all

import (
	_ "github.com/faasguard/faasguard/analysis"          // function code
	_ "github.com/faasguard/faasguard/loader/azure"      // Azure Functions, ARM, Bicep
	_ "github.com/faasguard/faasguard/loader/cfn"        // CloudFormation, SAM, CDK output
	_ "github.com/faasguard/faasguard/loader/serverless" // Serverless Framework
	_ "github.com/faasguard/faasguard/loader/terraform"  // Terraform (AWS, Azure, Google Cloud)
	_ "github.com/faasguard/faasguard/report"            // output formats
)
