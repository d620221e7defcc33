package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/faasguard/faasguard/internal/version"
	"github.com/faasguard/faasguard/report"
	"github.com/faasguard/faasguard/report/inventory"
	"github.com/faasguard/faasguard/scan"
)

const inventoryUsage = `Usage: faasguard inventory [PATH...] [flags]

Lists the attack surface of the serverless applications under each PATH
(default "."): every function with its triggers (public or not, how callers
authenticate), its role and what the role can do, the resources it touches,
and its findings count. Values that cannot be resolved offline show as
"unknown". Formats: table, json, dot (Graphviz), html (the report page with
the attack-surface graph).`

func runInventory(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("inventory", inventoryUsage, stderr)
	var sf scanFlags
	sf.register(fs)
	format := fs.String("format", "table", "output format: table, json, dot or html")
	output := fs.String("output", "", "write to this file instead of stdout")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	switch *format {
	case "table", "json", "dot", "html":
	default:
		fmt.Fprintf(stderr, "faasguard inventory: unknown --format %q (want table, json, dot or html)\n", *format)
		return ExitError
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	opts, err := sf.options()
	if err != nil {
		fmt.Fprintf(stderr, "faasguard inventory: %v\n", err)
		return ExitError
	}
	opts.Progress = newProgress(stderr, progressMinFiles)
	var results []*scan.Result
	for _, p := range paths {
		res, err := scan.Run(context.Background(), p, opts)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard inventory: %v\n", err)
			continue
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		return ExitError
	}
	out := stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard inventory: --output: %v\n", err)
			return ExitError
		}
		defer f.Close()
		out = f
	}
	in := report.Input{Results: results, Version: version.String(), Rules: &opts.Rules}
	if *format == "html" {
		err = report.Write(out, "html", in)
	} else {
		inv := inventory.New()
		for _, r := range results {
			inv.Add(r.Apps, r.Findings)
		}
		inv.Graph.Layout()
		switch *format {
		case "json":
			err = inv.WriteJSON(out)
		case "dot":
			err = inv.WriteDOT(out)
		default:
			err = inv.WriteTable(out)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "faasguard inventory: %v\n", err)
		return ExitError
	}
	return ExitOK
}

func init() { register(command{"inventory", runInventory}) }
