//go:build !unix

package e2e

import "os"

// maxRSS is unknown on this platform.
func maxRSS(*os.ProcessState) int64 { return -1 }

// watchMemory cannot observe memory on this platform.
func watchMemory(*os.Process, int64) (func() int64, func() bool) {
	return func() int64 { return -1 }, func() bool { return false }
}
