package peertmp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/loader/cfn"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

var mapping = map[string][]string{
	"api_gateway_access_logging_disabled": {"FG-LOG-011"}, "api_gateway_cache_encrypted_disabled": {"FG-ENC-006"},
	"api_gateway_deployment_without_access_log_setting": {"FG-LOG-011"}, "api_gateway_deployment_without_api_gateway_usage_plan_associated": {"FG-LIM-005"},
	"api_gateway_stage_without_api_gateway_usage_plan_associated": {"FG-LIM-005"}, "api_gateway_with_open_access": {"FG-AUTH-001"},
	"api_gateway_without_configured_authorizer": {"FG-AUTH-001"}, "api_gateway_without_security_policy": {"FG-ENC-021"},
	"api_gateway_without_waf": {"FG-EXP-014"}, "api_gateway_xray_disabled": {"FG-LOG-012"}, "hardcoded_aws_access_key_in_lambda": {"FG-SEC-001"},
	"iam_policies_with_full_privileges": {"FG-IAM-001"}, "iam_policy_grants_full_permissions": {"FG-IAM-001", "FG-IAM-002"},
	"lambda_function_without_dead_letter_queue": {"FG-LIM-004"}, "lambda_functions_with_full_privileges": {"FG-IAM-001"},
	"lambda_functions_without_unique_iam_roles": {"FG-IAM-004"}, "lambda_functions_without_x-ray_tracing": {"FG-LOG-001"},
	"lambda_permission_misconfigured": {"FG-EXP-011"}, "lambda_permission_principal_is_wildcard": {"FG-EXP-010"},
	"public_lambda_via_api_gateway": {"FG-EXP-010", "FG-EXP-011"},
	"s3_bucket_allows_delete_actions_from_all_principals": {"FG-EXP-012"}, "s3_bucket_allows_get_actions_from_all_principals": {"FG-EXP-012"},
	"s3_bucket_allows_list_actions_from_all_principals": {"FG-EXP-012"}, "s3_bucket_allows_put_actions_from_all_principals": {"FG-EXP-012"},
	"s3_bucket_allows_restore_actions_from_all_principals": {"FG-EXP-012"}, "s3_bucket_with_all_permissions": {"FG-EXP-012"},
	"sns_topic_is_publicly_accessible": {"FG-EXP-012"}, "sns_topic_publicity_has_allow_and_not_action_simultaneously": {"FG-EXP-012"},
	"sns_topic_without_kms_master_key_id": {"FG-ENC-002"}, "sqs_policy_with_public_access": {"FG-EXP-012"}, "sqs_with_sse_disabled": {"FG-ENC-001"},
	"serverless_api_access_logging_setting_undefined": {"FG-LOG-011"}, "serverless_api_xray_tracing_disabled": {"FG-LOG-012"},
	"serverless_function_environment_variables_not_encrypted": {"FG-SEC-002"}, "serverless_function_without_dead_letter_queue": {"FG-LIM-004"},
	"serverless_function_without_unique_iam_role": {"FG-IAM-004"}, "serverless_function_without_x-ray_tracing": {"FG-LOG-001"},
}

type exp struct {
	Line     int
	FileName string
}

func TestPeer(t *testing.T) {
	root := "/work/shared/corpus/kics-serverless/queries/cloudFormation"
	dirs, _ := filepath.Glob(root + "/*/*")
	sort.Strings(dirs)
	var tp, fn, fp, tn, linesHit, linesAll int
	for _, d := range dirs {
		q := filepath.Base(d)
		ids := mapping[q]
		if ids == nil {
			fmt.Printf("%-70s unmapped\n", filepath.Base(filepath.Dir(d))+"/"+q)
			continue
		}
		var exps []exp
		b, _ := os.ReadFile(d + "/test/positive_expected_result.json")
		json.Unmarshal(b, &exps)
		files, _ := filepath.Glob(d + "/test/*")
		var row []string
		for _, f := range files {
			base := filepath.Base(f)
			if strings.HasSuffix(base, "expected_result.json") {
				continue
			}
			data, _ := os.ReadFile(f)
			app := cfn.LoadFile(base, data, loader.Options{})
			var got []rules.Finding
			if app != nil {
				app.Link()
				got = rules.Run([]*model.Application{app}, rules.Config{Profile: rules.ProfileWellArchitected, Only: ids})
			}
			lines := map[int]bool{}
			for _, g := range got {
				lines[g.Pos.Line] = true
			}
			if strings.HasPrefix(base, "positive") {
				if len(got) > 0 {
					tp++
				} else {
					fn++
					row = append(row, "MISS:"+base)
				}
				for _, e := range exps {
					if e.FileName == base {
						linesAll++
						if lines[e.Line] {
							linesHit++
						}
					}
				}
			} else {
				if len(got) > 0 {
					fp++
					row = append(row, "FP:"+base)
				} else {
					tn++
				}
			}
		}
		fmt.Printf("%-70s %v %s\n", filepath.Base(filepath.Dir(d))+"/"+q, ids, strings.Join(row, " "))
	}
	fmt.Printf("positive files detected %d/%d, negative files clean %d/%d, expected lines hit %d/%d\n", tp, tp+fn, tn, tn+fp, linesHit, linesAll)
}
