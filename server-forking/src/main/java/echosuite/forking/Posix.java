package echosuite.forking;

import echosuite.forking.spares.SpareChildren;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Every C library call of the forking server, and nothing else: the calls of the course's
 * {@code echo_storeserv.c} ({@code socket}, {@code bind}, {@code listen}, {@code accept},
 * {@code pipe}, {@code waitpid}, {@code close}) plus {@code posix_spawn}, which stands in for
 * {@code fork()}, and {@code sendmsg}/{@code recvmsg} with {@code SCM_RIGHTS}, which hand an
 * accepted client to a child started ahead of time (the warm spares of {@link SpareChildren}).
 * (A running JVM cannot be forked: only the calling thread would survive in the child, without
 * the JVM's other threads, so the child could not even collect its garbage.)
 *
 * <p>Made with the FFM API ({@code java.lang.foreign}). Each method calls exactly one C
 * function; on failure it throws {@link PosixException} carrying {@code errno}, captured right
 * after the call ({@link Linker.Option#captureCallState}), because the JVM may overwrite the
 * thread's errno before Java code could read it. The constants are those of Linux on x86-64 and
 * aarch64 with glibc 2.34 or newer (for {@code posix_spawn_file_actions_addclosefrom_np}).
 *
 * <p>File descriptors are plain {@code int}s here, as in C. Whoever receives one from a method
 * of this class owns it and must {@link #close} it. Thread-safe: the methods keep no state.
 */
@SuppressWarnings("restricted")   // native calls are restricted methods: this class is where they live
public final class Posix {

    // <sys/socket.h>, <netinet/in.h>
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_UNIX = 1;
    static final int SCM_RIGHTS = 1;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    // <fcntl.h>
    public static final int O_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int F_SETPIPE_SZ = 1031;
    /** A write of at most this many bytes to a pipe is atomic: never interleaved with other writers'. */
    public static final int PIPE_BUF = 4096;
    // <poll.h>
    static final short POLLIN = 1;
    // <signal.h>
    public static final int SIGKILL = 9;
    static final int SIGUSR1 = 10;
    static final int SIGTERM = 15;
    // <spawn.h>
    static final short POSIX_SPAWN_SETPGROUP = 0x02;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    // <sys/mman.h>
    static final int MFD_CLOEXEC = 1;
    // <errno.h>
    static final int EINTR = 4;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int EPIPE = 32;
    static final int ECONNRESET = 104;

    /** Opaque glibc types, sized generously (x86-64: 80, 336 and 128 bytes). */
    static final long FILE_ACTIONS_BYTES = 128;
    static final long SPAWNATTR_BYTES = 512;
    static final long SIGSET_BYTES = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** One errno capture buffer per thread, so concurrent calls never read each other's errno. */
    private static final ThreadLocal<MemorySegment> CALL_STATE_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));


    /** {@code struct msghdr} (64-bit Linux): where the data and the control messages of sendmsg/recvmsg are. */
    private static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    /** {@code struct iovec}: one buffer. */
    private static final StructLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** {@code struct cmsghdr} carrying one int: {@code CMSG_LEN(sizeof(int))} = 20 bytes, {@code CMSG_SPACE} = 24. */
    private static final StructLayout CMSG_ONE_FD = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"),
            JAVA_INT.withName("fd"), MemoryLayout.paddingLayout(4));
    private static final long CMSG_LEN_ONE_FD = 20;
    private static final MemoryLayout.PathElement CONTROL_LENGTH = MemoryLayout.PathElement.groupElement("msg_controllen");

    // Each downcall handle is made the first time its group is used (a nested class is initialised
    // on first use): making one costs a few milliseconds of a JVM's start, and a spare child,
    // which uses only the Descriptors group, would otherwise make all thirty.

    /** The socket calls of the listening socket (the parent only). */
    private static final class Net {
        static final MethodHandle SOCKET = errnoCall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle SETSOCKOPT = errnoCall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle BIND = errnoCall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle LISTEN = errnoCall("listen", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle GETSOCKNAME = errnoCall("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle ACCEPT4 = errnoCall("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        static final MethodHandle POLL = errnoCall("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    }

    /** Pipes, plain reads and writes, the shared memory pages. */
    private static final class Io {
        static final MethodHandle PIPE2 = errnoCall("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle FCNTL = errnoCall("fcntl", List.of(Linker.Option.firstVariadicArg(2)),
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle WRITE = errnoCall("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle READ = errnoCall("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle MEMFD_CREATE = errnoCall("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle FTRUNCATE = errnoCall("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
    }

    /** Spawning and reaping children. posix_spawn and its helpers return the error number instead of setting errno. */
    private static final class Proc {
        static final MethodHandle WAITPID = errnoCall("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle KILL = errnoCall("kill", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle POSIX_SPAWN = call("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle FA_INIT = call("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
        static final MethodHandle FA_DESTROY = call("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
        static final MethodHandle FA_ADDDUP2 = call("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle FA_ADDCLOSEFROM = call("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle ATTR_INIT = call("posix_spawnattr_init", JAVA_INT, ADDRESS);
        static final MethodHandle ATTR_SETFLAGS = call("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
        static final MethodHandle ATTR_SETSIGMASK = call("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle ATTR_SETSIGDEFAULT = call("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle ATTR_SETPGROUP = call("posix_spawnattr_setpgroup", JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle SIGEMPTYSET = call("sigemptyset", JAVA_INT, ADDRESS);
        static final MethodHandle SIGFILLSET = call("sigfillset", JAVA_INT, ADDRESS);
    }

    /** What a spare needs to take its client (socketpair, sendmsg, recvmsg, dup2, close): all a spare child makes. */
    private static final class Descriptors {
        static final MethodHandle CLOSE = errnoCall("close", JAVA_INT, JAVA_INT);
        static final MethodHandle DUP2 = errnoCall("dup2", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle SOCKETPAIR = errnoCall("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        static final MethodHandle SENDMSG = errnoCall("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle RECVMSG = errnoCall("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    }

    /** Error messages. */
    private static final class Text {
        static final MethodHandle STRERROR = call("strerror", ADDRESS, JAVA_INT);
    }

    private Posix() { }

    /** A failed C call: {@link #errno()} says why, the message says which call and in words. */
    public static final class PosixException extends IOException {
        private final int errno;

        PosixException(String call, int errno) {
            super(call + ": " + describe(errno));
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    // --- sockets -------------------------------------------------------------------------------

    /** {@code socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0)}: a TCP socket no spawned program inherits by accident. */
    static int socket(int domain) throws PosixException {
        return check("socket", (int) invoke(Net.SOCKET, state(), domain, SOCK_STREAM | SOCK_CLOEXEC, 0));
    }

    /** {@code setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &1, 4)}: a restarted server can bind its port again at once. */
    static void reuseAddress(int fd) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
            check("setsockopt(SO_REUSEADDR)", (int) invoke(Net.SETSOCKOPT, state(), fd, SOL_SOCKET, SO_REUSEADDR, one, 4));
        }
    }

    /** {@code bind(fd, address, length)} with a {@code struct sockaddr_in}/{@code sockaddr_in6} made by {@link ListeningSocket}. */
    static void bind(int fd, MemorySegment address) throws PosixException {
        check("bind", (int) invoke(Net.BIND, state(), fd, address, (int) address.byteSize()));
    }

    /** {@code listen(fd, backlog)}. */
    static void listen(int fd, int backlog) throws PosixException {
        check("listen", (int) invoke(Net.LISTEN, state(), fd, backlog));
    }

    /** {@code getsockname(fd, address, &length)}: fills {@code address} (the port chosen for {@code --port 0}). */
    static void getsockname(int fd, MemorySegment address) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            check("getsockname", (int) invoke(Net.GETSOCKNAME, state(), fd, address, length));
        }
    }

    /**
     * {@code accept4(fd, NULL, NULL, SOCK_CLOEXEC)}: the next connection from the listen backlog
     * (blocks if there is none and {@code fd} is blocking). Close-on-exec, so that only the one
     * child it is handed to (by {@code dup2} onto fd 0) ever holds it.
     */
    static int accept(int fd) throws PosixException {
        return check("accept", (int) invoke(Net.ACCEPT4, state(), fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC));
    }

    /**
     * {@code poll} for input on {@code fds}, waiting at most {@code timeoutMillis} (-1: no limit).
     * Returns for each fd whether it is readable (or at end of file, or in error).
     * Returns all {@code false} if a signal interrupted the wait.
     */
    public static boolean[] pollIn(int[] fds, int timeoutMillis) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            // struct pollfd { int fd; short events; short revents; }: 8 bytes each
            MemorySegment pollfds = arena.allocate(8L * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(JAVA_INT, 8L * i, fds[i]);
                pollfds.set(JAVA_SHORT, 8L * i + 4, POLLIN);
            }
            MemorySegment state = state();
            int n = (int) invoke(Net.POLL, state, pollfds, (long) fds.length, timeoutMillis);
            boolean[] ready = new boolean[fds.length];
            if (n < 0) {
                if (errno(state) == EINTR) return ready;
                throw new PosixException("poll", errno(state));
            }
            for (int i = 0; i < fds.length; i++) ready[i] = pollfds.get(JAVA_SHORT, 8L * i + 6) != 0;
            return ready;
        }
    }

    // --- pipes and plain fds ---------------------------------------------------------------------

    /** {@code pipe2(fds, flags)}: returns {@code {readEnd, writeEnd}}. */
    public static int[] pipe(int flags) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check("pipe2", (int) invoke(Io.PIPE2, state(), fds, flags));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** {@code fcntl(fd, F_SETPIPE_SZ, bytes)}: returns the capacity the kernel granted (a power of two pages). */
    static int setPipeSize(int fd, int bytes) throws PosixException {
        return check("fcntl(F_SETPIPE_SZ)", (int) invoke(Io.FCNTL, state(), fd, F_SETPIPE_SZ, bytes));
    }

    /** {@code close(fd)}. Never retried on EINTR: on Linux the fd is gone either way. */
    public static void close(int fd) throws PosixException {
        int r = (int) invoke(Descriptors.CLOSE, state(), fd);
        if (r < 0) {
            int e = errno(CALL_STATE_BUFFER.get());
            if (e != EINTR) throw new PosixException("close", e);
        }
    }

    /** {@link #close} that ignores a failure: for clean-up paths where nothing better can be done. */
    public static void closeQuietly(int fd) {
        if (fd < 0) return;
        try {
            close(fd);
        } catch (PosixException ignored) {
            // the descriptor is released by the kernel even when close reports an error
        }
    }

    /** {@code write(fd, bytes, length)}, retried on EINTR; returns the bytes written (one call: a pipe write up to PIPE_BUF is all or nothing). */
    static long write(int fd, MemorySegment bytes) throws PosixException {
        while (true) {
            MemorySegment state = state();
            long n = (long) invoke(Io.WRITE, state, fd, bytes, bytes.byteSize());
            if (n >= 0) return n;
            if (errno(state) != EINTR) throw new PosixException("write", errno(state));
        }
    }

    /** {@code read(fd, buffer, size)}, retried on EINTR; returns 0 at end of file. */
    public static long read(int fd, MemorySegment buffer) throws PosixException {
        while (true) {
            MemorySegment state = state();
            long n = (long) invoke(Io.READ, state, fd, buffer, buffer.byteSize());
            if (n >= 0) return n;
            if (errno(state) != EINTR) throw new PosixException("read", errno(state));
        }
    }

    /** {@code memfd_create(name, MFD_CLOEXEC)}: an anonymous file in memory, shared by handing its fd to a child. */
    public static int memfdCreate(String name, long size) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = check("memfd_create", (int) invoke(Io.MEMFD_CREATE, state(), arena.allocateFrom(name), MFD_CLOEXEC));
            check("ftruncate", (int) invoke(Io.FTRUNCATE, state(), fd, size));
            return fd;
        }
    }

    // --- passing a descriptor to another process (SCM_RIGHTS) ------------------------------------

    /** {@code socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)}: returns two connected Unix-domain sockets. */
    public static int[] socketPair() throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check("socketpair", (int) invoke(Descriptors.SOCKETPAIR, state(), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /**
     * {@code sendmsg(socket, msg, MSG_NOSIGNAL)} of one byte, {@code tag}, and, if {@code passFd}
     * is not -1, an {@code SCM_RIGHTS} control message with that descriptor: the kernel puts a
     * copy of it into the receiving process (as if that process had {@code dup}ed it), so after
     * this call the sender may close its own. Returns false if the peer is gone (EPIPE,
     * ECONNRESET): nothing was passed.
     */
    public static boolean sendByte(int socket, byte tag, int passFd) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, tag);
            MemorySegment cmsg = MemorySegment.NULL;
            if (passFd >= 0) {
                cmsg = arena.allocate(CMSG_ONE_FD);
                cmsg.set(JAVA_LONG, 0, CMSG_LEN_ONE_FD);
                cmsg.set(JAVA_INT, 8, SOL_SOCKET);
                cmsg.set(JAVA_INT, 12, SCM_RIGHTS);
                cmsg.set(JAVA_INT, 16, passFd);
            }
            MemorySegment msg = oneByteMessage(arena, data, cmsg);
            while (true) {
                MemorySegment state = state();
                long n = (long) invoke(Descriptors.SENDMSG, state, socket, msg, MSG_NOSIGNAL);
                if (n == 1) return true;                          // one byte is sent whole or not at all
                int e = errno(state);
                if (e == EINTR) continue;
                if (e == EPIPE || e == ECONNRESET) return false;
                throw new PosixException("sendmsg", e);
            }
        }
    }

    /**
     * {@code recvmsg(socket, msg, MSG_CMSG_CLOEXEC)} of one byte and the descriptor passed with
     * it, if any. Blocks until a byte arrives. Returns {@code {tag, fd}} (fd -1 if none was
     * passed), or null at end of file (the peer closed its end). A received descriptor is
     * close-on-exec and owned by the caller.
     */
    public static int[] receiveByte(int socket) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(JAVA_BYTE);
            MemorySegment cmsg = arena.allocate(CMSG_ONE_FD);
            MemorySegment msg = oneByteMessage(arena, data, cmsg);
            while (true) {
                MemorySegment state = state();
                long n = (long) invoke(Descriptors.RECVMSG, state, socket, msg, MSG_CMSG_CLOEXEC);
                if (n == 0) return null;
                if (n < 0) {
                    int e = errno(state);
                    if (e == EINTR) continue;
                    if (e == ECONNRESET) return null;
                    throw new PosixException("recvmsg", e);
                }
                long controlLength = msg.get(JAVA_LONG, MSGHDR.byteOffset(CONTROL_LENGTH));
                boolean passed = controlLength >= CMSG_LEN_ONE_FD && cmsg.get(JAVA_INT, 8) == SOL_SOCKET
                        && cmsg.get(JAVA_INT, 12) == SCM_RIGHTS;
                return new int[] {data.get(JAVA_BYTE, 0), passed ? cmsg.get(JAVA_INT, 16) : -1};
            }
        }
    }

    /** A {@code struct msghdr} of one byte at {@code data}, with the control buffer {@code cmsg} (or none if NULL). */
    private static MemorySegment oneByteMessage(Arena arena, MemorySegment data, MemorySegment cmsg) {
        MemorySegment iov = arena.allocate(IOVEC);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, 1L);
        MemorySegment msg = arena.allocate(MSGHDR);           // zeroed: no name, no flags
        msg.set(ADDRESS, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_iov")), iov);
        msg.set(JAVA_LONG, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_iovlen")), 1L);
        if (!cmsg.equals(MemorySegment.NULL)) {
            msg.set(ADDRESS, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_control")), cmsg);
            msg.set(JAVA_LONG, MSGHDR.byteOffset(CONTROL_LENGTH), CMSG_ONE_FD.byteSize());
        }
        return msg;
    }

    /** {@code dup2(fd, newFd)}: {@code newFd} now refers to what {@code fd} does (closed first if open). */
    public static void dup2(int fd, int newFd) throws PosixException {
        check("dup2", (int) invoke(Descriptors.DUP2, state(), fd, newFd));
    }

    // --- processes -------------------------------------------------------------------------------

    /**
     * {@code posix_spawn(&pid, path, fileActions, attributes, argv, envp)}: starts program
     * {@code path} in a new process and returns its pid. The child gets exactly the descriptors
     * the {@code fileActions} give it.
     *
     * @throws PosixException with EAGAIN when the system has no more processes for us
     */
    static int spawn(MemorySegment path, MemorySegment fileActions, MemorySegment attributes,
                     MemorySegment argv, MemorySegment envp) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(JAVA_INT);
            int error = (int) invoke(Proc.POSIX_SPAWN, pid, path, fileActions, attributes, argv, envp);
            if (error != 0) throw new PosixException("posix_spawn", error);
            return pid.get(JAVA_INT, 0);
        }
    }

    /** {@code posix_spawn_file_actions_init} into {@code actions} ({@value #FILE_ACTIONS_BYTES} bytes). */
    static void fileActionsInit(MemorySegment actions) throws PosixException {
        spawnCheck("posix_spawn_file_actions_init", (int) invoke(Proc.FA_INIT, actions));
    }

    /** {@code posix_spawn_file_actions_destroy}. */
    static void fileActionsDestroy(MemorySegment actions) {
        invoke(Proc.FA_DESTROY, actions);
    }

    /** {@code posix_spawn_file_actions_adddup2}: in the child, {@code dup2(fd, newFd)}. */
    static void fileActionsDup2(MemorySegment actions, int fd, int newFd) throws PosixException {
        spawnCheck("posix_spawn_file_actions_adddup2", (int) invoke(Proc.FA_ADDDUP2, actions, fd, newFd));
    }

    /** {@code posix_spawn_file_actions_addclosefrom_np}: in the child, close every fd from {@code lowFd} up. */
    static void fileActionsCloseFrom(MemorySegment actions, int lowFd) throws PosixException {
        spawnCheck("posix_spawn_file_actions_addclosefrom_np", (int) invoke(Proc.FA_ADDCLOSEFROM, actions, lowFd));
    }

    /** A NULL-terminated C array of C strings ({@code argv}, {@code envp}), allocated in {@code arena}. */
    static MemorySegment cStrings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /**
     * Spawn attributes that give the child a clean signal state: no signal blocked, every signal
     * at its default action (the JVM's parent threads block and handle signals the child must
     * not inherit), and, if {@code ownProcessGroup}, a process group of its own (so a Ctrl-C in
     * a terminal reaches only the parent, which then stops the children in order).
     * Allocated in {@code arena}; read-only afterwards, so one instance serves every spawn.
     */
    static MemorySegment cleanSpawnAttributes(Arena arena, boolean ownProcessGroup) throws PosixException {
        MemorySegment attributes = arena.allocate(SPAWNATTR_BYTES, 16);
        MemorySegment none = arena.allocate(SIGSET_BYTES, 16);
        MemorySegment all = arena.allocate(SIGSET_BYTES, 16);
        spawnCheck("posix_spawnattr_init", (int) invoke(Proc.ATTR_INIT, attributes));
        spawnCheck("sigemptyset", (int) invoke(Proc.SIGEMPTYSET, none));
        spawnCheck("sigfillset", (int) invoke(Proc.SIGFILLSET, all));
        spawnCheck("posix_spawnattr_setsigmask", (int) invoke(Proc.ATTR_SETSIGMASK, attributes, none));
        spawnCheck("posix_spawnattr_setsigdefault", (int) invoke(Proc.ATTR_SETSIGDEFAULT, attributes, all));
        short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        if (ownProcessGroup) {
            spawnCheck("posix_spawnattr_setpgroup", (int) invoke(Proc.ATTR_SETPGROUP, attributes, 0));
            flags |= POSIX_SPAWN_SETPGROUP;
        }
        spawnCheck("posix_spawnattr_setflags", (int) invoke(Proc.ATTR_SETFLAGS, attributes, flags));
        return attributes;
    }

    /**
     * {@code waitpid(pid, &status, options)}: returns the pid of a child that ended (and its
     * raw status in {@code status[0]}), 0 with WNOHANG if none has, or -1 with ECHILD in
     * {@code status[0]} when there is no child at all. Blocks (options 0) until a child ends.
     * Retried on EINTR.
     */
    static int waitpid(int pid, int[] status, int options) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rawStatus = arena.allocate(JAVA_INT);
            while (true) {
                MemorySegment state = state();
                int r = (int) invoke(Proc.WAITPID, state, pid, rawStatus, options);
                if (r >= 0) {
                    status[0] = rawStatus.get(JAVA_INT, 0);
                    return r;
                }
                int e = errno(state);
                if (e == ECHILD) {
                    status[0] = ECHILD;
                    return -1;
                }
                if (e != EINTR) throw new PosixException("waitpid", e);
            }
        }
    }

    /** {@code kill(pid, signal)}; returns false if the process no longer exists. */
    public static boolean kill(int pid, int signal) throws PosixException {
        MemorySegment state = state();
        int r = (int) invoke(Proc.KILL, state, pid, signal);
        if (r == 0) return true;
        if (errno(state) == 3 /* ESRCH */) return false;
        throw new PosixException("kill", errno(state));
    }

    /** Describes a raw wait status in words: "exit status 3", "killed by signal 9". */
    public static String describeStatus(int status) {
        int signal = status & 0x7f;
        if (signal == 0) return "exit status " + ((status >> 8) & 0xff);
        return "killed by signal " + signal;
    }

    /** True if a raw wait status means: exited normally with status 0. */
    static boolean exitedCleanly(int status) {
        return status == 0;
    }

    /** {@code strerror(errno)} with the symbolic name: "Too many open files (errno 24)". */
    static String describe(int errno) {
        MemorySegment text = (MemorySegment) invoke(Text.STRERROR, errno);
        return text.reinterpret(256).getString(0) + " (errno " + errno + ")";
    }

    // --- plumbing ------------------------------------------------------------------------------

    private static MethodHandle errnoCall(String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
        return errnoCall(name, List.of(), result, args);
    }

    private static MethodHandle errnoCall(String name, List<Linker.Option> options,
                                          java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
        Linker.Option[] all = new Linker.Option[options.size() + 1];
        options.toArray(all);
        all[options.size()] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args), all);
    }

    private static MethodHandle call(String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "the C library has no " + name + " (the forking server needs Linux with glibc 2.34 or newer)"));
    }

    private static MemorySegment state() {
        return CALL_STATE_BUFFER.get();
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int check(String call, int result) throws PosixException {
        if (result < 0) throw new PosixException(call, errno(CALL_STATE_BUFFER.get()));
        return result;
    }

    private static void spawnCheck(String call, int error) throws PosixException {
        if (error != 0) throw new PosixException(call, error);
    }

    /** Invokes a downcall handle; its only checked exception is impossible for C functions. */
    private static Object invoke(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }
}
