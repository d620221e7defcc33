package peer

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// span is the 1-based, inclusive line range of one resource block, and
// the resource's name: the logical ID (CloudFormation), "type.name"
// (Terraform), the symbolic name (Bicep).
type span struct {
	from, to int
	name     string
}

var (
	// resourcesKey opens a CloudFormation resource section (`Resources:`
	// in YAML, `"Resources": {` in JSON) or an ARM template's
	// `"resources": [` array.
	resourcesKey = regexp.MustCompile(`^(\s*)("?Resources"?|"resources")\s*:`)
	// topBlock opens a top-level Terraform or Bicep block.
	topBlock = regexp.MustCompile(`^(resource|data|module)\s`)
	// tfName and bicepName read a block's name from its opening line.
	tfName    = regexp.MustCompile(`^resource\s+"([^"]+)"\s+"([^"]+)"`)
	bicepName = regexp.MustCompile(`^resource\s+([A-Za-z_][A-Za-z0-9_]*)\s+'`)
	// cfnName reads a logical ID from a child of Resources.
	cfnName = regexp.MustCompile(`^\s*"?([A-Za-z0-9]+)"?\s*:`)
)

// resourceSpans finds the resource blocks of a template, for match:
// resource: in CloudFormation (YAML or indented JSON) each direct child of
// Resources, in an ARM template each element of the first "resources"
// array (its top level), in Terraform and Bicep each top-level
// resource/data/module block. Lines outside every block belong to no
// resource.
func resourceSpans(data []byte) []span {
	lines := strings.Split(string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), "\n")
	var out []span
	// Terraform / Bicep: a block runs from its opening line to the next
	// line that is a lone closing brace at column 0.
	for i := 0; i < len(lines); i++ {
		if !topBlock.MatchString(lines[i]) {
			continue
		}
		j := i
		for j < len(lines) && strings.TrimRight(lines[j], " \t") != "}" {
			j++
		}
		name := ""
		if m := tfName.FindStringSubmatch(lines[i]); m != nil {
			name = m[1] + "." + m[2]
		} else if m := bicepName.FindStringSubmatch(lines[i]); m != nil {
			name = m[1]
		}
		out = append(out, span{i + 1, min(j+1, len(lines)), name})
		i = j
	}
	if len(out) > 0 {
		return out
	}
	// CloudFormation: the children of Resources are the lines indented
	// exactly as its first child; a child's block runs to the next child.
	for i, l := range lines {
		m := resourcesKey.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		parent := len(m[1])
		child := -1
		for j := i + 1; j < len(lines); j++ {
			body := strings.TrimSpace(lines[j])
			if body == "" || strings.HasPrefix(body, "#") {
				continue
			}
			ind := indent(lines[j])
			if ind <= parent && !strings.HasPrefix(body, "}") && !strings.HasPrefix(body, "]") {
				break // the next top-level key ends Resources
			}
			if child < 0 {
				child = ind
			}
			if ind == child && !strings.HasPrefix(body, "}") {
				name := ""
				if m := cfnName.FindStringSubmatch(lines[j]); m != nil {
					name = m[1]
				}
				out = append(out, span{j + 1, j + 1, name})
			}
			if len(out) > 0 && ind >= child {
				out[len(out)-1].to = j + 1
			}
		}
		break
	}
	return out
}

func indent(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }

// inResource reports whether line lies in the block of the named resource.
func inResource(spans []span, name string, line int) bool {
	for _, s := range spans {
		if s.name == name && s.from <= line && line <= s.to {
			return true
		}
	}
	return false
}

// resourceAt names the resource whose block holds line, or "".
func resourceAt(spans []span, line int) string {
	for _, s := range spans {
		if s.from <= line && line <= s.to {
			return s.name
		}
	}
	return ""
}

// sameResource reports whether lines a and b lie in one resource block.
func sameResource(spans []span, a, b int) bool {
	for _, s := range spans {
		if s.from <= a && a <= s.to {
			return s.from <= b && b <= s.to
		}
	}
	return false
}

func TestResourceSpans(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []span
	}{
		{"cfn yaml", `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: go1.x

  Queue:
    Type: AWS::SQS::Queue
Outputs:
  X: 1
`, []span{{3, 6, "Fn"}, {8, 9, "Queue"}}},
		{"cfn json", `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {}
    },
    "Queue": {
      "Type": "AWS::SQS::Queue"
    }
  },
  "Outputs": {}
}`, []span{{3, 6, "Fn"}, {7, 9, "Queue"}}},
		{"terraform", `provider "aws" {}

resource "aws_sqs_queue" "q" {
  name = "q"
}

data "aws_iam_policy_document" "d" {
  statement {
  }
}
`, []span{{3, 5, "aws_sqs_queue.q"}, {7, 10, ""}}},
		{"arm", `{
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "name": "a"
    },
    {
      "type": "Microsoft.Web/sites/config"
    }
  ]
}`, []span{{3, 6, ""}, {7, 9, ""}}},
		{"no resources", "a: 1\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resourceSpans([]byte(tt.src))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
	sp := []span{{3, 6, "Fn"}, {8, 9, "Queue"}}
	if !sameResource(sp, 3, 5) || sameResource(sp, 5, 8) || sameResource(sp, 1, 1) {
		t.Error("sameResource: wrong block membership")
	}
	if resourceAt(sp, 4) != "Fn" || resourceAt(sp, 7) != "" {
		t.Error("resourceAt: wrong name")
	}
	if !inResource(sp, "Queue", 9) || inResource(sp, "Fn", 9) || inResource(sp, "Nope", 4) {
		t.Error("inResource: wrong block membership")
	}
}
