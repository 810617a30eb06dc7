//go:build !(js && wasm)

package main

import (
	"fmt"
	"time"

	"github.com/prometheus/procfs"
)

// processUse is what the process has used of the machine.
type processUse struct {
	// cpu is the CPU time used since the process started, user and
	// system.
	cpu time.Duration
	// resident is the resident memory, in bytes.
	resident uint64
}

// readProcessUse reads the process's own use from /proc/self. It fails
// where there is no /proc, as outside Linux.
func readProcessUse() (processUse, error) {
	self, err := procfs.Self()
	if err != nil {
		return processUse{}, fmt.Errorf("read the process's use: %w", err)
	}
	stat, err := self.Stat()
	if err != nil {
		return processUse{}, fmt.Errorf("read /proc/%d/stat: %w", self.PID, err)
	}
	return processUse{
		cpu:      time.Duration(stat.CPUTime() * float64(time.Second)),
		resident: uint64(stat.ResidentMemory()),
	}, nil
}
