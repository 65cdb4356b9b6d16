package echosuite.forking;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The server socket of {@code echo_storeserv.c}, made with the same calls:
 * {@code socket}, {@code bind}, {@code listen}, {@code accept}. It is made in C rather than as a
 * {@code ServerSocketChannel} because the parent must hand the accepted socket's file
 * descriptor number to a child, and Java's channels do not reveal theirs.
 *
 * <p>{@link #accept} waits in {@code poll} on the listening socket and on a wake-up pipe, so
 * that {@link #wakeUp} (at shutdown) ends the wait without closing the socket under a thread
 * blocked on it. Accept from one thread; {@link #wakeUp} and {@link #close} from any.
 */
public final class ListeningSocket implements AutoCloseable {

    /** {@code listen()} backlog: connections wait here while the parent is at {@code --max-children}. */
    static final int BACKLOG = 4096;

    private final int fd;
    private final int[] wakePipe;
    private final InetSocketAddress address;
    private volatile boolean closed;

    private ListeningSocket(int fd, int[] wakePipe, InetSocketAddress address) {
        this.fd = fd;
        this.wakePipe = wakePipe;
        this.address = address;
    }

    /**
     * {@code socket(); setsockopt(SO_REUSEADDR); bind(); listen()} on {@code bind}:{@code port}
     * (port 0: the kernel picks one, {@link #address()} tells which).
     */
    public static ListeningSocket open(String bind, int port) throws IOException {
        InetAddress host = InetAddress.getByName(bind);
        int domain = host instanceof Inet4Address ? Posix.AF_INET : Posix.AF_INET6;
        int fd = Posix.socket(domain);
        int[] wake = null;
        try (Arena arena = Arena.ofConfined()) {
            Posix.reuseAddress(fd);
            Posix.bind(fd, sockaddr(arena, host, port));
            Posix.listen(fd, BACKLOG);
            MemorySegment bound = arena.allocate(domain == Posix.AF_INET ? 16 : 28, 4);
            Posix.getsockname(fd, bound);
            wake = Posix.pipe(Posix.O_CLOEXEC | Posix.O_NONBLOCK);
            return new ListeningSocket(fd, wake, new InetSocketAddress(host, portOf(bound)));
        } catch (IOException | RuntimeException e) {
            Posix.closeQuietly(fd);
            if (wake != null) {
                Posix.closeQuietly(wake[0]);
                Posix.closeQuietly(wake[1]);
            }
            throw e;
        }
    }

    /** The listening socket's file descriptor (handed to preforked children as their fd 0). */
    public int fd() {
        return fd;
    }

    /** The bound address, with the real port. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * {@code accept()}: waits for the next connection and returns its file descriptor
     * (close-on-exec; the caller owns it), or -1 if {@link #wakeUp} was called.
     */
    public int accept() throws IOException {
        while (!closed) {
            boolean[] ready = Posix.pollIn(new int[] {fd, wakePipe[0]}, -1);
            if (ready[1]) return -1;
            if (ready[0]) {
                try {
                    return Posix.accept(fd);
                } catch (Posix.PosixException e) {
                    // The client may have given up between poll and accept: wait for the next one.
                    if (e.errno() == Posix.EAGAIN || e.errno() == 103 /* ECONNABORTED */) continue;
                    throw e;
                }
            }
        }
        return -1;
    }

    /** Makes a waiting (or the next) {@link #accept} return -1. */
    void wakeUp() {
        try (Arena arena = Arena.ofConfined()) {
            Posix.write(wakePipe[1], arena.allocateFrom(JAVA_BYTE, (byte) 1));
        } catch (Posix.PosixException e) {
            // EAGAIN: the pipe is full of wake-ups already, which is just as good
        }
    }

    /** Closes the listening socket: new connections are refused by the kernel from now on. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        wakeUp();
        Posix.closeQuietly(fd);
        Posix.closeQuietly(wakePipe[0]);
        Posix.closeQuietly(wakePipe[1]);
    }

    /** A {@code struct sockaddr_in} (16 bytes) or {@code struct sockaddr_in6} (28 bytes), port in network order. */
    private static MemorySegment sockaddr(Arena arena, InetAddress host, int port) {
        byte[] ip = host.getAddress();
        boolean v4 = ip.length == 4;
        MemorySegment a = arena.allocate(v4 ? 16 : 28, 4);
        a.set(JAVA_SHORT, 0, (short) (v4 ? Posix.AF_INET : Posix.AF_INET6));   // sin_family, host order
        a.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);       // sin_port = htons(port)
        MemorySegment.copy(MemorySegment.ofArray(ip), 0, a, v4 ? 4 : 8, ip.length);
        return a;
    }

    private static int portOf(MemorySegment sockaddr) {
        return Short.toUnsignedInt(sockaddr.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
    }
}
