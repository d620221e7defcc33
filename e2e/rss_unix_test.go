//go:build unix

package e2e

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxRSS returns the peak resident set of a finished process in bytes, from
// wait4. On Linux it also counts the parent's peak before exec, so
// watchMemory's reading of /proc is preferred there.
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return -1
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes
	}
	return int64(ru.Maxrss) << 10 // KiB elsewhere
}

// watchMemory samples the process's peak resident set (VmHWM in
// /proc/PID/status) until it exits, killing it once the peak exceeds limit.
// peak returns the last sample in bytes (-1 without /proc); over reports
// whether the process was killed for its memory.
func watchMemory(p *os.Process, limit int64) (peak func() int64, over func() bool) {
	var (
		mu     sync.Mutex
		hwm    int64 = -1
		killed bool
	)
	status := "/proc/" + strconv.Itoa(p.Pid) + "/status"
	go func() {
		for {
			v, ok := readHWM(status)
			if !ok {
				return // exited (or no /proc)
			}
			mu.Lock()
			if v > hwm {
				hwm = v
			}
			if hwm > limit && !killed {
				killed = true
				p.Kill()
			}
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()
	peak = func() int64 { mu.Lock(); defer mu.Unlock(); return hwm }
	over = func() bool { mu.Lock(); defer mu.Unlock(); return killed }
	return peak, over
}

func readHWM(status string) (int64, bool) {
	f, err := os.Open(status)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false // a zombie has no VmHWM
}
