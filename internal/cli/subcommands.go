package cli

import (
	"io"

	"github.com/faasguard/faasguard/internal/cli/dbcmd"
	"github.com/faasguard/faasguard/internal/cli/guardcmd"
)

// Subcommands that live in packages of their own.
func init() {
	register(command{"db", func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return dbcmd.Run(args, stdout, stderr)
	}})
	register(command{"guard", guardcmd.Run})
}
