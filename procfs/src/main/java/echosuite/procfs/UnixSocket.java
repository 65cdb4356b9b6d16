package echosuite.procfs;

/**
 * One line of the kernel's Unix-domain socket table, {@code /proc/net/unix}.
 *
 * @param inode the socket's inode: a process holding it has an fd linked to {@code socket:[INODE]}
 * @param path  the path it is bound to; empty for an unnamed socket (one end of a socketpair, or a
 *              connected socket's accepted end)
 */
public record UnixSocket(long inode, String path) {

    /** Parses one line after the heading: {@code "0000000012345678: 00000002 00000000 00010000 0001 01 4321 /run/x.sock"}. */
    static UnixSocket parse(String line) {
        String[] f = line.strip().split("\\s+", 8);
        if (f.length < 7) throw new IllegalArgumentException("not a Unix socket table line: " + line);
        return new UnixSocket(Long.parseLong(f[6]), f.length == 8 ? f[7] : "");
    }
}
