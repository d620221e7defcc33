// Package guardcmd implements "faasguard guard": trying the runtime guard's
// inspection engine on event files without AWS.
package guardcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faasguard/faasguard/guard"
	"github.com/faasguard/faasguard/guard/envelope"
)

// Exit codes of "faasguard guard check".
const (
	ExitAllow = 0
	ExitBlock = 1
	ExitError = 2
)

// maxEvent bounds how much of an event file is read: above the engine's
// size limit, so that oversized events are judged rather than refused.
const maxEvent = 64 << 20

const usage = `usage: faasguard guard check [--trigger auto|TRIGGER] [--policy FILE] [--events] EVENT.json|-

Inspects one Lambda event (a file, or - for standard input) with the
runtime guard and prints the verdict as JSON: action (allow, block or
partial), trigger, findings with rule, field path and context, and for
batches the blocked records and batchItemFailures.

Exit status: 0 allow, 1 block or partial, 2 error.

Triggers: %s
`

// Run runs "faasguard guard ARGS..." and returns the exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return ExitError
		}
		return ExitAllow
	}
	switch args[0] {
	case "check":
		return check(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "faasguard guard: unknown command %q\n", args[0])
	printUsage(stderr)
	return ExitError
}

func printUsage(w io.Writer) {
	var names []string
	for _, t := range envelope.Triggers() {
		names = append(names, string(t))
	}
	fmt.Fprintf(w, usage, strings.Join(names, ", "))
}

func check(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("faasguard guard check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	trigger := fs.String("trigger", "auto", "event trigger, or auto to recognise it from the event")
	policyFile := fs.String("policy", "", "policy file (YAML or JSON); default: every rule blocks")
	events := fs.Bool("events", false, "also write the OCSF security events to standard error")
	fs.Usage = func() {
		printUsage(stderr)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	// accept flags after the file name too: check EVENT.json --trigger sqs
	var files []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return ExitAllow
			}
			return ExitError
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "faasguard guard check: want exactly one EVENT.json or -")
		return ExitError
	}
	var pol guard.Policy
	if *policyFile != "" {
		p, err := guard.LoadPolicy(*policyFile)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard guard check: policy: %v\n", err)
			return ExitError
		}
		pol = p
	}
	if *trigger != "auto" {
		if _, err := envelope.ParseTrigger(*trigger); err != nil {
			fmt.Fprintf(stderr, "faasguard guard check: --trigger: %v\n", err)
			return ExitError
		}
		pol.Trigger = *trigger
	}
	var sink io.Writer
	if *events {
		sink = stderr
	}
	eng, err := guard.New(pol, guard.WithEventsTo(sink))
	if err != nil {
		fmt.Fprintf(stderr, "faasguard guard check: %v\n", err)
		return ExitError
	}
	raw, err := readEvent(files[0], stdin)
	if err != nil {
		fmt.Fprintf(stderr, "faasguard guard check: %v\n", err)
		return ExitError
	}
	v := eng.Inspect(context.Background(), raw)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "faasguard guard check: %v\n", err)
		return ExitError
	}
	if v.Action == guard.Allow {
		return ExitAllow
	}
	return ExitBlock
}

func readEvent(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = stdin
		name = "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxEvent+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxEvent {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxEvent)
	}
	return b, nil
}
