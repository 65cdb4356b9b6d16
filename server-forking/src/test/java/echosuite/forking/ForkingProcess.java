package echosuite.forking;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import echosuite.procfs.TcpSocket;
import echosuite.protocol.Summary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The forking server started as a real process with this test JVM's class path (the module is
 * not packaged yet when its tests run), so that tests can look at it from outside through
 * {@code /proc}. {@link ProcessBuilder} rather than Commons Exec: these tests need the pid
 * and its descendants. {@link #close} leaves no process behind: the server and every
 * descendant are killed by pid.
 */
final class ForkingProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread outReader;
    private final Thread errReader;

    private ForkingProcess(Process process) {
        this.process = process;
        this.outReader = Thread.ofPlatform().daemon(true).start(() -> pump(process.inputReader(StandardCharsets.UTF_8), stdout, true));
        this.errReader = Thread.ofPlatform().daemon(true).start(() -> pump(process.errorReader(StandardCharsets.UTF_8), stderr, false));
    }

    /** Starts {@code server-forking --port 0 --log LOG ARGS...} and waits for its listening line. */
    static ForkingProcess start(Path log, String... args) throws Exception {
        return start(Map.of(), log, args);
    }

    /** As {@link #start(Path, String...)}, with {@code extraEnvironment} added to the server's environment. */
    static ForkingProcess start(Map<String, String> extraEnvironment, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ForkingServer.class.getName(), "--port", "0", "--log", log.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(extraEnvironment);
        ForkingProcess p = new ForkingProcess(builder.start());
        try {
            p.port.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.close();
            fail("the forking server did not print its listening line: " + e + "; stderr " + p.stderr());
        }
        return p;
    }

    private void pump(BufferedReader reader, List<String> lines, boolean watchListening) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (watchListening && line.startsWith("listening on ")) {
                    port.complete(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        port.completeExceptionally(new IllegalStateException("exited before listening"));
    }

    int port() {
        return port.join();
    }

    long pid() {
        return process.pid();
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** SIGTERM, waits for the exit (at most {@code limit}) and all output; returns the exit status. */
    int terminate(Duration limit) throws Exception {
        // Through the ProcessHandle: Process.destroy() would also close our end of the server's
        // stdout, and the summary line printed after the signal would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the forking server did not exit within " + limit + " of SIGTERM; stderr " + stderr());
        }
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    /** The summary line's fields, after {@link #terminate}. */
    Map<String, Long> summary() {
        synchronized (stdout) {
            return stdout.stream().filter(l -> l.startsWith(Summary.PREFIX)).findFirst().map(Summary::parse)
                    .orElseThrow(() -> new AssertionError("no summary line; stdout " + stdout + ", stderr " + stderr()));
        }
    }

    /** Stops whatever still runs, by pid: SIGTERM to the server, then SIGKILL to it and every descendant. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        try {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
                process.destroyForcibly();
            }
            for (ProcessHandle d : tree) d.destroyForcibly();
            for (ProcessHandle d : tree) d.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            for (ProcessHandle d : tree) d.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
