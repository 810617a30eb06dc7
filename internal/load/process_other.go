//go:build !linux

package load

import (
	"errors"
	"time"
)

var errNoProc = errors.New("the server's memory and CPU are read from /proc, on Linux only")

func residentBytes(int) (int64, error)   { return 0, errNoProc }
func cpuTime(int) (time.Duration, error) { return 0, errNoProc }
func listenerPID(int) (int, error)       { return 0, errNoProc }
func selfCPU() (time.Duration, error)    { return 0, errNoProc }
func raiseFileLimit(int) error           { return nil }
