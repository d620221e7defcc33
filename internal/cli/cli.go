// Package cli implements the faasguard command line. cmd/faasguard only
// calls Main; every subcommand lives here or in a package of its own.
package cli

import (
	"fmt"
	"io"
	"os"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/internal/version"
)

const usage = `faasguard secures serverless applications: posture, least privilege and a runtime guard.

Usage:
  faasguard scan [PATH...] [flags]      scan apps (config + code) and report risks
  faasguard inventory [PATH] [flags]    list or draw trigger -> function -> role -> resource
  faasguard policy [PATH] [flags]       minimal IAM policy per function, and granted-vs-used diff
  faasguard guard check EVENT.json|-    inspect one Lambda event with the runtime guard
  faasguard db update|status            download / show the offline OSV advisory database
  faasguard rules list                  list the rules
  faasguard rules show ID               document one rule
  faasguard version                     print the version

Run "faasguard COMMAND -h" for a command's flags.
Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or fatal error.
`

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// command is one subcommand.
type command struct {
	name string
	run  func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands are registered by each command's file in its init.
var commands []command

func register(c command) { commands = append(commands, c) }

func init() {
	register(command{"version", func(_ []string, _ io.Reader, stdout, _ io.Writer) int {
		fmt.Fprintf(stdout, "faasguard %s\n", version.String())
		return ExitOK
	}})
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitError
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	case "-v", "--version":
		args = []string{"version"}
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "faasguard: unknown command %q\n\n%s", args[0], usage)
	return ExitError
}

// isTerminal reports whether f is a terminal; a var so tests can force it.
var isTerminal = func(f *os.File) bool { return termCheck(f) }
