package load

import "syscall"

// ipBindAddressNoPort is IP_BIND_ADDRESS_NO_PORT of linux/in.h: a socket
// bound to a source address gets its port at connect, unique for the
// destination, instead of at bind, unique for the address. Each source
// address then gives a whole port range per server.
const ipBindAddressNoPort = 24

// bindControl is the Dialer's Control for a stream bound to a source address.
func bindControl(_, _ string, c syscall.RawConn) error {
	var err error
	if cerr := c.Control(func(fd uintptr) {
		err = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
	}); cerr != nil {
		return cerr
	}
	return err
}
