// Command faasguard secures serverless applications. See the README and
// `faasguard -h`.
package main

import (
	"os"

	"github.com/faasguard/faasguard/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
