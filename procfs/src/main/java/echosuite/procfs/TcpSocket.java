package echosuite.procfs;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One line of the kernel's TCP socket tables, {@code /proc/net/tcp} (IPv4) or {@code tcp6}.
 * An IPv4 address that a dual-stack socket holds in IPv4-mapped form ({@code ::ffff:127.0.0.1})
 * reads as the IPv4 address, so a connection is found by its addresses in either table.
 *
 * @param local   the local address and port
 * @param remote  the remote address and port (the wildcard address and port 0 for a listener)
 * @param state   its TCP state
 * @param inode   the socket's inode: a process holding it has an fd linked to {@code socket:[INODE]}
 */
public record TcpSocket(Endpoint local, Endpoint remote, TcpState state, long inode) {

    /** An address and a port. */
    public record Endpoint(InetAddress address, int port) { }

    /** The {@code /proc/PID/fd} link target of a descriptor holding this socket: {@code socket:[INODE]}. */
    public String fdTarget() {
        return "socket:[" + inode + "]";
    }

    /**
     * Parses one line after the heading:
     * {@code "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 12345 ..."}.
     */
    static TcpSocket parse(String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 10) throw new IllegalArgumentException("not a socket table line: " + line);
        return new TcpSocket(endpoint(f[1]), endpoint(f[2]), TcpState.ofColumn(f[3]), Long.parseLong(f[9]));
    }

    /**
     * "0100007F:1F90" → 127.0.0.1:8080. The kernel prints the address as 32-bit words in host byte
     * order (little-endian on x86-64 and arm64), each word's bytes reversed from network order.
     */
    private static Endpoint endpoint(String column) {
        int colon = column.indexOf(':');
        String hex = column.substring(0, colon);
        byte[] address = new byte[hex.length() / 2];
        for (int word = 0; word < address.length; word += 4) {
            for (int b = 0; b < 4; b++) {
                int at = 2 * (word + 3 - b);
                address[word + b] = (byte) Integer.parseInt(hex, at, at + 2, 16);
            }
        }
        try {
            return new Endpoint(InetAddress.getByAddress(address), Integer.parseInt(column, colon + 1, column.length(), 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + column, e);
        }
    }
}
