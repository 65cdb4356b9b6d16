package echosuite.serverprocess;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import echosuite.protocol.Summary;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server running as a process, the suite's one way to start one (the harness's runs, the
 * conformance kit, the load generator's and the forking server's tests): started from a
 * {@link ServerCommand}, ready once it printed {@code listening on HOST:PORT} (docs/protocol.md,
 * "Starting a server"; waited for, never slept for), stopped with SIGTERM, after which a project
 * server prints its {@code summary} line and exits 0 ("Shutdown and the summary line").
 * {@link #close()} leaves no process behind: the server and everything it started are ended by pid.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+):(\\d+)\\s*$");
    /** After a SIGTERM in {@link #close} (the test or run is over), how long before SIGKILL. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** How long a SIGKILLed process, and each descendant, may take to be gone. */
    private static final Duration KILL_LIMIT = Duration.ofSeconds(10);

    /**
     * How a server ended: its exit status, the time from SIGTERM to its exit (zero if it was not
     * signalled), what it printed, and its last {@code summary} line.
     */
    public record Exit(int status, Duration afterSignal, List<String> stdout, List<String> stderr,
                       Optional<String> summaryLine) {

        /** The fields of its {@code summary} line; fails if it printed none. */
        public Map<String, Long> summary() {
            return Summary.parse(summaryLine.orElseThrow(() -> new IllegalStateException(
                    "no summary line on stdout: " + stdout + "; stderr: " + stderr)));
        }

        /** The fields of its {@code summary} line; empty if it printed none, or none that reads as one. */
        public Map<String, Long> summaryIfPrinted() {
            try {
                return summaryLine.map(Summary::parse).orElse(Map.of());
            } catch (IllegalArgumentException unreadable) {
                return Map.of();
            }
        }
    }

    /** A server that did not come up, with the reason in one sentence. */
    public static final class StartFailure extends Exception {
        StartFailure(String sentence) {
            super(sentence, null, false, false);
        }
    }

    /** A server that did not exit within its limit (and was killed), with the reason in one sentence. */
    public static final class StopFailure extends Exception {
        StopFailure(String sentence) {
            super(sentence, null, false, false);
        }
    }

    private record Address(String host, int port) { }

    private final ChildProcess child;
    private final OutputLines output;
    private final CompletableFuture<Address> listening;
    private final CompletableFuture<Long> exitedAtNanos;

    private ServerProcess(ChildProcess child, OutputLines output, CompletableFuture<Address> listening) {
        this.child = child;
        this.output = output;
        this.listening = listening;
        this.exitedAtNanos = child.onExit().thenApply(p -> System.nanoTime());
    }

    /**
     * Starts {@code command} and waits for its {@code listening on} line.
     *
     * @throws StartFailure if it cannot be started, exits, or stays silent for its start limit
     *                      instead (then it is killed)
     */
    public static ServerProcess start(ServerCommand command) throws StartFailure, InterruptedException {
        ServerProcess server = launch(command);
        // Only once its output has been read to the end is "exited before listening" sure.
        server.child.onExit().thenRunAsync(() -> {
            try {
                server.child.waitFor(KILL_LIMIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.listening.completeExceptionally(new IllegalStateException("exited"));
        });
        try {
            server.listening.get(command.startLimit().toMillis(), TimeUnit.MILLISECONDS);
            return server;
        } catch (ExecutionException e) {
            throw new StartFailure("it exited before printing 'listening on'" + server.output.lastWords());
        } catch (TimeoutException e) {
            server.killTree();
            throw new StartFailure("it printed no 'listening on' line within " + command.startLimit().toSeconds() + " s"
                    + server.output.lastWords());
        }
    }

    /**
     * Runs {@code command} to its exit without a signal (a bad command line, which a server
     * refuses at once), for at most its start limit.
     *
     * @throws StopFailure if it is still running then (it is killed)
     */
    public static Exit runToExit(ServerCommand command) throws StartFailure, StopFailure, InterruptedException {
        try (ServerProcess server = launch(command)) {
            OptionalInt status = server.child.waitFor(command.startLimit());
            if (status.isEmpty()) {
                server.killTree();
                throw new StopFailure("it did not exit by itself within " + command.startLimit().toSeconds() + " s: " + command);
            }
            return server.exit(status.getAsInt(), Duration.ZERO);
        }
    }

    private static ServerProcess launch(ServerCommand command) throws StartFailure {
        OutputLines output = new OutputLines(command.keptLines());
        CompletableFuture<Address> listening = new CompletableFuture<>();
        try {
            ChildProcess child = ChildProcess.start(command.argv(), command.environment(), command.workingDirectory(),
                    command.lifeLimit(), line -> {
                        output.stdout(line);
                        Matcher m = LISTENING.matcher(line);
                        if (m.matches()) listening.complete(new Address(m.group(1), Integer.parseInt(m.group(2))));
                    }, output::stderr);
            return new ServerProcess(child, output, listening);
        } catch (IOException e) {
            throw new StartFailure("could not start " + command + ": " + e.getMessage());
        }
    }

    /** HOST:PORT from its {@code listening on} line. */
    public String address() {
        Address a = listening.join();
        return a.host() + ":" + a.port();
    }

    /** The port from its {@code listening on} line. */
    public int port() {
        return listening.join().port();
    }

    /** The address from its {@code listening on} line. */
    public InetSocketAddress socketAddress() {
        Address a = listening.join();
        return new InetSocketAddress(a.host(), a.port());
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** It and its descendants as they are now, read from {@code /proc}; empty once it is gone. */
    public List<ProcStat> tree() {
        return new ProcFs().tree(pid());
    }

    /** Its stdout lines so far (the kept ones, see {@link ServerCommand#keepLastLines}). */
    public List<String> stdout() {
        return output.stdout();
    }

    /** Its stderr lines so far (the kept ones). */
    public List<String> stderr() {
        return output.stderr();
    }

    /** Both in the order they came, stderr lines tagged {@value OutputLines#STDERR} (the kept ones). */
    public List<String> output() {
        return output.transcript();
    }

    /** "; its last words: " and its last three (kept) stderr lines, tagged, or "" if it printed none: for a failure's sentence. */
    public String lastWords() {
        return output.lastWords();
    }

    /**
     * Waits until it prints a line containing {@code text} on stderr (or has printed one already)
     * and returns that line.
     */
    public String awaitStderrLine(String text, Duration limit) throws TimeoutException, InterruptedException {
        return output.awaitStderr(text, limit);
    }

    /**
     * Sends SIGTERM (unless it has exited already) and waits up to {@code limit} for its exit and
     * its last output.
     *
     * @throws StopFailure if it is still running then (it and its descendants are killed)
     */
    public Exit terminate(Duration limit) throws StopFailure, InterruptedException {
        boolean signalled = child.isAlive();
        long signalAt = System.nanoTime();
        if (signalled) child.terminate();
        OptionalInt status = child.waitFor(limit);
        if (status.isEmpty()) {
            killTree();
            throw new StopFailure("it did not exit within " + limit.toMillis() + " ms of SIGTERM; killed" + output.lastWords());
        }
        Duration afterSignal = signalled ? Duration.ofNanos(Math.max(0, exitedAtNanos.join() - signalAt)) : Duration.ZERO;
        return exit(status.getAsInt(), afterSignal);
    }

    /** SIGKILL to it and everything it started, by pid; waits until they are gone. */
    public void killTree() throws InterruptedException {
        List<ProcessHandle> tree = child.descendants().toList();
        child.kill();
        child.waitFor(KILL_LIMIT);
        awaitGone(tree);
    }

    /** Ends it if it still runs: SIGTERM, then SIGKILL of it and every descendant, by pid. */
    @Override
    public void close() throws InterruptedException {
        if (!child.isAlive()) return;
        List<ProcessHandle> descendants = child.descendants().toList();
        child.terminate();
        if (child.waitFor(CLOSE_GRACE).isEmpty()) {
            child.kill();
            child.waitFor(KILL_LIMIT);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitGone(descendants);
    }

    private Exit exit(int status, Duration afterSignal) {
        return new Exit(status, afterSignal, output.stdout(), output.stderr(), output.summaryLine());
    }

    private static void awaitGone(List<ProcessHandle> processes) {
        for (ProcessHandle p : processes) p.onExit().completeOnTimeout(p, KILL_LIMIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }
}
