package load

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat's times: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// residentBytes returns the resident memory of process pid, from the VmRSS of
// /proc/PID/status.
func residentBytes(pid int) (int64, error) {
	path := fmt.Sprintf("/proc/%d/status", pid)
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read the memory of process %d: %w", pid, err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("%s: VmRSS %q is not in kB", path, strings.TrimSpace(rest))
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: VmRSS %q is not in kB", path, strings.TrimSpace(rest))
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("%s has no VmRSS", path)
}

// cpuTime returns the CPU time, user and system, that process pid has used,
// from /proc/PID/stat.
func cpuTime(pid int) (time.Duration, error) {
	path := fmt.Sprintf("/proc/%d/stat", pid)
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read the CPU time of process %d: %w", pid, err)
	}
	// The command name, in parentheses, may hold spaces: count the fields
	// from the last parenthesis. utime and stime are fields 14 and 15.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%s has %d fields after the name, want at least 13", path, len(f))
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%s: utime %q or stime %q is not a number", path, f[11], f[12])
	}
	return time.Duration(user+sys) * time.Second / clockTicks, nil
}

// listenerPID returns the process that listens on TCP port port, found as
// ss -ltnp does: the socket's inode in /proc/net/tcp and tcp6, then the
// process that holds a descriptor of that socket in /proc/*/fd.
func listenerPID(port int) (int, error) {
	inode, err := listeningInode(port)
	if err != nil {
		return 0, err
	}
	target := "socket:[" + inode + "]"
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		if link, err := os.Readlink(fd); err == nil && link == target {
			pid, _ := strconv.Atoi(strings.Split(fd, "/")[2])
			return pid, nil
		}
	}
	return 0, fmt.Errorf("no process of ours holds the listening socket of port %d (another user's?)", port)
}

// listeningInode returns the inode of the socket that listens on port.
func listeningInode(port int) (string, error) {
	want := fmt.Sprintf(":%04X", port)
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local_address rem_address st … inode is field 9.
			fields := strings.Fields(sc.Text())
			if len(fields) > 9 && fields[3] == "0A" && strings.HasSuffix(fields[1], want) {
				f.Close()
				return fields[9], nil
			}
		}
		f.Close()
	}
	return "", fmt.Errorf("no socket listens on TCP port %d on this machine", port)
}

// selfCPU returns the CPU time, user and system, this process has used.
func selfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("read the load generator's CPU time: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// raiseFileLimit raises this process's soft limit of open files to its hard
// limit: each stream is a descriptor
// limit, and says so if that is too few for streams.
func raiseFileLimit(streams int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("read the open files limit: %w", err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return fmt.Errorf("raise the open files limit to %d: %w", lim.Max, err)
		}
	}
	if need := uint64(streams) + fileMargin; lim.Cur < need {
		return fmt.Errorf("the open files limit, %d, is under the %d that %d streams need (ulimit -Hn); the server needs as many", lim.Cur, need, streams)
	}
	return nil
}

// fileMargin is the descriptors a run needs beyond its streams: the
// publisher's connection, the standard files, the runtime's own.
const fileMargin = 32
