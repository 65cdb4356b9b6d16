package echosuite.forking;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import echosuite.procfs.TcpSocket;
import echosuite.serverprocess.ServerCommand;
import echosuite.serverprocess.ServerProcess;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The forking server as a real process for these tests: started through the suite's fixture with
 * this test JVM's class path (the module is not packaged yet when its tests run), and looked at
 * from outside through {@code /proc}: its children, their descriptors, command lines and
 * environments, and which child holds a client's socket.
 */
final class ForkingProcess {

    /** A forking server starts its logger (and spares) before it listens: JVMs, on a shared machine. */
    static final Duration STARTUP = Duration.ofSeconds(60);

    private ForkingProcess() { }

    /** Starts {@code server-forking --port 0 --log LOG ARGS...} and waits for its listening line. */
    static ServerProcess start(Path log, String... args) throws Exception {
        return start(Map.of(), log, args);
    }

    /** As {@link #start(Path, String...)}, with {@code extraEnvironment} added to the server's environment. */
    static ServerProcess start(Map<String, String> extraEnvironment, Path log, String... args) throws Exception {
        return ServerProcess.start(ServerCommand.mainClass(System.getProperty("java.class.path"), ForkingServer.class.getName(),
                        List.of("--enable-native-access=ALL-UNNAMED"))
                .log(log).args(args).environment(extraEnvironment).startLimit(STARTUP));
    }

    // --- /proc ---------------------------------------------------------------------------------

    private static final ProcFs PROC = new ProcFs();

    /** Pids of the processes whose parent is {@code pid}, with their state letter (R, S, Z, ...). */
    static Map<Long, Character> children(long pid) {
        Map<Long, Character> out = new java.util.HashMap<>();
        for (ProcStat child : PROC.children(pid)) out.put(child.pid(), child.state());
        return out;
    }

    /** Open file descriptors of {@code pid}, as their link targets ("socket:[123]", "pipe:[45]", ...). */
    static List<String> fds(long pid) throws IOException {
        return PROC.fdTargets(pid);
    }

    /** The environment of {@code pid}, one "NAME=value" per entry, from {@code /proc/PID/environ}. */
    static List<String> environment(long pid) throws IOException {
        return PROC.environment(pid);
    }

    /** The command line of {@code pid}, words joined by spaces ("" if gone). */
    static String cmdline(long pid) {
        try {
            return String.join(" ", PROC.cmdline(pid));
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * The inode ("socket:[N]") of the server's end of the TCP connection from local port
     * {@code clientPort} to {@code serverPort} on 127.0.0.1, from the kernel's TCP socket table.
     */
    static String serverSocketOf(int serverPort, int clientPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (TcpSocket s : PROC.tcpSockets()) {
            if (s.local().equals(new TcpSocket.Endpoint(loopback, serverPort))
                    && s.remote().equals(new TcpSocket.Endpoint(loopback, clientPort))) return s.fdTarget();
        }
        throw new AssertionError("no server-side socket for 127.0.0.1:" + clientPort + " -> " + serverPort + " in /proc/net/tcp");
    }

    /** The child of {@code parent} that holds {@code fd} (e.g. a client socket), or -1. */
    static long childHolding(long parent, String fd) throws IOException {
        for (long child : children(parent).keySet()) {
            try {
                if (fds(child).contains(fd)) return child;
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
        return -1;
    }

    /** The logger child of {@code parent}, or -1. */
    static long loggerOf(long parent) throws IOException {
        for (long child : children(parent).keySet()) {
            if (cmdline(child).contains(LoggerProcess.class.getName())) return child;
        }
        return -1;
    }
}
