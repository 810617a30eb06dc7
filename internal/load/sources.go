package load

import (
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// portMargin is how many ports of the ephemeral range a source address
// leaves to other connections by default.
const portMargin = 2000

// sources returns the source address of each of n streams to the server at
// host: nil (the system's choice) unless the server is on IPv4 loopback and n
// is over perSource, in which case the streams fill 127.0.0.1, 127.0.0.2, …
// perSource at a time. perSource 0 means the ephemeral port range less a
// margin.
func sources(host string, n, perSource int) []*net.TCPAddr {
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Is4() || !ip.IsLoopback() {
		return nil
	}
	if perSource == 0 {
		perSource = max(ephemeralPorts()-portMargin, 1000)
	}
	if n <= perSource {
		return nil
	}
	addrs := make([]*net.TCPAddr, n)
	for i := range addrs {
		k := i / perSource
		addrs[i] = &net.TCPAddr{IP: net.IPv4(127, byte(k>>16), byte(k>>8), byte(k+1))}
	}
	return addrs
}

// ephemeralPorts returns the size of the system's ephemeral port range, or
// that of Linux's default range if it cannot be read.
func ephemeralPorts() int {
	const linuxDefault = 60999 - 32768 + 1
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return linuxDefault
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return linuxDefault
	}
	lo, err1 := strconv.Atoi(f[0])
	hi, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || hi < lo {
		return linuxDefault
	}
	return hi - lo + 1
}
