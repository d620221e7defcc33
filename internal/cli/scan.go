package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faasguard/faasguard/internal/textsafe"
	"github.com/faasguard/faasguard/internal/version"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/report"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
	"github.com/faasguard/faasguard/suppress"
)

// scanFlags are the flags shared by commands that scan (scan, inventory,
// policy).
type scanFlags struct {
	stage          string
	vars           kvFlag
	paramsFile     string
	allowEnv       bool
	allowOutside   bool
	noCode         bool
	maxFileSize    int64
	profile        string
	only, skip     listFlag
	timeoutCeiling int
	skipGenerated  bool
	db             string
}

func (s *scanFlags) register(fs *flag.FlagSet) {
	s.vars = kvFlag{}
	fs.StringVar(&s.stage, "stage", "", "deployment stage whose values to use (dev, staging, prod ...)")
	fs.Var(s.vars, "var", "set a variable: ${opt:k} / CFN parameter / Terraform -var (repeatable, k=v)")
	fs.StringVar(&s.paramsFile, "params", "", "parameter file: JSON object, CloudFormation parameter list, or k=v lines")
	fs.BoolVar(&s.allowEnv, "allow-env", false, "let ${env:X} read this process's environment (off: an untrusted repo must not read your secrets)")
	fs.BoolVar(&s.allowOutside, "allow-outside", false, "let ${file()} references and symlinks read files outside the scanned root")
	fs.BoolVar(&s.noCode, "no-code", false, "skip function code analysis (config only)")
	fs.Int64Var(&s.maxFileSize, "max-file-size", 10<<20, "skip files larger than this many bytes")
	fs.StringVar(&s.profile, "profile", rules.ProfileSecurity, "rule profile: security (default, quiet on a well-built app) or well-architected (adds hygiene checks)")
	fs.Var(&s.only, "only", "run only these rules: IDs, families (IAM) or globs (FG-IAM-*), comma-separated")
	fs.Var(&s.skip, "skip", "skip these rules: IDs, families or globs, comma-separated")
	fs.IntVar(&s.timeoutCeiling, "timeout-ceiling", 300, "longest function timeout in seconds that FG-LIM-001 accepts")
	fs.StringVar(&s.db, "db", "", "OSV database directory for dependency advisories (default: the cache filled by faasguard db update)")
	fs.BoolVar(&s.skipGenerated, "skip-generated", false, "leave out resources a framework generated (CDK custom-resource providers ...)")
}

func (s *scanFlags) options() (scan.Options, error) {
	if s.profile != rules.ProfileSecurity && s.profile != rules.ProfileWellArchitected {
		return scan.Options{}, fmt.Errorf("unknown --profile %q (want security or well-architected)", s.profile)
	}
	opts := scan.Options{Analyze: !s.noCode, DB: s.db}
	opts.Load.Stage = s.stage
	opts.Load.Vars = map[string]string(s.vars)
	opts.Load.AllowEnv = s.allowEnv
	opts.Load.AllowOutside = s.allowOutside
	opts.Walk.MaxFileSize = s.maxFileSize
	opts.Rules = rules.Config{Profile: s.profile, Only: s.only, Skip: s.skip, TimeoutCeiling: s.timeoutCeiling, SkipGenerated: s.skipGenerated}
	if s.paramsFile != "" {
		p, err := readParams(s.paramsFile)
		if err != nil {
			return opts, err
		}
		opts.Load.Params = p
	}
	return opts, nil
}

// readParams reads a parameter file: a JSON object, a CloudFormation
// parameter list ([{"ParameterKey":..,"ParameterValue":..}]) or k=v lines.
func readParams(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--params: %w", err)
	}
	out := map[string]string{}
	trim := bytes.TrimSpace(data)
	if len(trim) > 0 && (trim[0] == '{' || trim[0] == '[') {
		var obj map[string]any
		if err := json.Unmarshal(trim, &obj); err == nil {
			for k, v := range obj {
				out[k] = fmt.Sprint(v)
			}
			return out, nil
		}
		var list []struct{ ParameterKey, ParameterValue string }
		if err := json.Unmarshal(trim, &list); err != nil {
			return nil, fmt.Errorf("--params %s: not a JSON object or CloudFormation parameter list: %v", path, err)
		}
		for _, p := range list {
			out[p.ParameterKey] = p.ParameterValue
		}
		return out, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("--params %s:%d: want key=value", path, n)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

const scanUsage = `Usage: faasguard scan [PATH...] [flags]

Scans each PATH (a directory or a config file; default ".") for serverless
applications, builds one model of each, and reports the risks found.`

func runScan(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("scan", scanUsage, stderr)
	var sf scanFlags
	sf.register(fs)
	format := fs.String("format", "table", "output format: "+strings.Join(report.Formats(), ", "))
	output := fs.String("output", "", "write the report to this file instead of stdout")
	failOn := fs.String("fail-on", "high", "exit 1 when a finding has this severity or higher (info, low, medium, high, critical, none)")
	minSev := fs.String("min-severity", "info", "hide findings below this severity in the table")
	noColor := fs.Bool("no-color", false, "no colours in the table (also NO_COLOR)")
	baseline := fs.String("baseline", "", "suppress the findings listed in this baseline file")
	writeBaseline := fs.String("write-baseline", "", "write the current findings to this baseline file (and exit 0)")
	configPath := fs.String("config", "", "configuration file (default: the first "+ConfigName+" found walking up from the first PATH)")
	noConfig := fs.Bool("no-config", false, "ignore "+ConfigName)
	dumpModel := fs.Bool("dump-model", false, "print the application model instead of a report (debugging loaders)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if !*noConfig {
		p, found := *configPath, *configPath != ""
		if !found {
			p, found = findConfig(paths[0])
		}
		if found {
			cfg, err := readConfig(p)
			if err == nil {
				err = cfg.apply(fs, &sf)
			}
			if err != nil {
				fmt.Fprintf(stderr, "faasguard scan: %v\n", err)
				return ExitError
			}
		}
	}
	fail, err := rules.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintf(stderr, "faasguard scan: --fail-on: %v\n", err)
		return ExitError
	}
	min, err := rules.ParseSeverity(*minSev)
	if err != nil {
		fmt.Fprintf(stderr, "faasguard scan: --min-severity: %v\n", err)
		return ExitError
	}
	opts, err := sf.options()
	if err != nil {
		fmt.Fprintf(stderr, "faasguard scan: %v\n", err)
		return ExitError
	}
	if *baseline != "" {
		b, err := suppress.ReadBaseline(*baseline)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard scan: %v\n", err)
			return ExitError
		}
		opts.Baseline = &b
	}
	var results []*scan.Result
	scanned := 0
	opts.Progress = newProgress(stderr, progressMinFiles)
	for _, p := range paths {
		res, err := scan.Run(context.Background(), p, opts)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard scan: %v\n", err)
			continue
		}
		results = append(results, res)
		if modelled(res) || !hasErrors(res.Notes) {
			scanned++
		}
	}
	if len(results) == 0 {
		return ExitError
	}
	if *dumpModel {
		for _, r := range results {
			for _, a := range r.Apps {
				fmt.Fprint(stdout, model.Dump(a))
			}
		}
		return ExitOK
	}
	if *writeBaseline != "" {
		var all []rules.Finding
		for _, r := range results {
			all = append(all, r.Findings...)
		}
		b := suppress.NewBaseline(all)
		if err := suppress.WriteBaseline(*writeBaseline, b); err != nil {
			fmt.Fprintf(stderr, "faasguard scan: --write-baseline: %v\n", err)
			return ExitError
		}
		fmt.Fprintf(stderr, "faasguard: wrote %d findings to %s\n", len(b.Findings), *writeBaseline)
		return ExitOK
	}
	out := stdout
	color := !*noColor && os.Getenv("NO_COLOR") == "" && writerIsTerminal(stdout)
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard scan: --output: %v\n", err)
			return ExitError
		}
		defer f.Close()
		out, color = f, false
	}
	in := report.Input{Results: results, Version: version.String(), Color: color, MinSeverity: min, Rules: &opts.Rules}
	if err := report.Write(out, *format, in); err != nil {
		fmt.Fprintf(stderr, "faasguard scan: %v\n", err)
		return ExitError
	}
	if scanned == 0 {
		for _, r := range results {
			for _, n := range r.Notes {
				if n.Level == model.NoteError {
					fmt.Fprintf(stderr, "faasguard scan: %s: %s\n", textsafe.String(n.Pos.String()), textsafe.String(n.Message))
				}
			}
		}
		fmt.Fprintln(stderr, "faasguard scan: nothing could be scanned")
		return ExitError
	}
	for _, f := range in.Findings() {
		if f.Severity >= fail {
			return ExitFindings
		}
	}
	return ExitOK
}

func hasErrors(ns []model.Note) bool {
	for _, n := range ns {
		if n.Level == model.NoteError {
			return true
		}
	}
	return false
}

func init() { register(command{"scan", runScan}) }

// modelled reports whether a scan produced anything to check: an app with
// a function, role or resource (an app whose config did not parse has none).
func modelled(r *scan.Result) bool {
	for _, a := range r.Apps {
		if len(a.Functions)+len(a.Roles)+len(a.Resources) > 0 {
			return true
		}
	}
	return false
}
