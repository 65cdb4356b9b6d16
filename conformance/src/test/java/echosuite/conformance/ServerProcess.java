package echosuite.conformance;

import echosuite.protocol.Summary;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started as a real process from its built jar, through Apache Commons Exec: the
 * executor runs it, a watchdog kills it if a test hangs, a process destroyer kills it if the test
 * JVM exits, and both output streams are collected line by line. Waits for the
 * {@code listening on HOST:PORT} line, never sleeps. {@link #close()} leaves no process behind:
 * it stops the server and its descendants by process id.
 */
@SuppressWarnings("try")   // close() may throw InterruptedException: tests declare it
public final class ServerProcess implements AutoCloseable {

    /** A test that hangs longer than this is killed by the watchdog. */
    static final Duration WATCHDOG = Duration.ofMinutes(3);
    static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+):(\\d+)$");

    /** How a start went to its end: exit status, time from SIGTERM to exit, everything printed. */
    public record Exit(int status, Duration afterSignal, List<String> stdout, List<String> stderr) {
        /** The fields of the {@code summary} line. */
        public Map<String, Long> summary() {
            return stdout.stream().filter(l -> l.startsWith(Summary.PREFIX)).reduce((a, b) -> b)
                    .map(Summary::parse)
                    .orElseThrow(() -> new AssertionError("no summary line on stdout: " + stdout + "; stderr: " + stderr));
        }
    }

    private final ServerUnderTest server;
    private final OwnStreams process;
    private final DefaultExecuteResultHandler result;
    private final List<String> stdout;
    private final List<String> stderr;
    private final CompletableFuture<Integer> port;
    private final List<Consumer<String>> stderrListeners;

    private ServerProcess(ServerUnderTest server, OwnStreams process, DefaultExecuteResultHandler result,
                          List<String> stdout, List<String> stderr, CompletableFuture<Integer> port,
                          List<Consumer<String>> stderrListeners) {
        this.server = server;
        this.process = process;
        this.result = result;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
        this.stderrListeners = stderrListeners;
    }

    /** Starts {@code server} on {@code --port 0 --log LOG} plus {@code args} and waits until it listens. */
    public static ServerProcess start(ServerUnderTest server, Path log, String... args) throws Exception {
        return startListening(server, null, 0, log, WATCHDOG, args);
    }

    /**
     * As {@link #start} but for a run longer than the {@link #WATCHDOG} allows (the long-run
     * scenarios): the server is killed only after {@code watchdog}.
     */
    public static ServerProcess startLongRunning(ServerUnderTest server, Path log, Duration watchdog, String... args)
            throws Exception {
        return startListening(server, null, 0, log, watchdog, args);
    }

    /** As {@link #start} but on a given port (a restart on the port a killed server held). */
    public static ServerProcess startOnPort(ServerUnderTest server, int port, Path log, String... args) throws Exception {
        return startListening(server, null, port, log, WATCHDOG, args);
    }

    /** SIGKILL of the server and every process it started (the whole tree), by pid; waits for the exit. */
    public void killTree() throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        for (ProcessHandle p : tree) p.destroyForcibly();
        result.waitFor(Duration.ofSeconds(10));
        for (ProcessHandle p : tree) p.onExit().get(10, TimeUnit.SECONDS);
    }

    /** As {@link #start} but as a member of a cgroup (through bash, which joins it and then execs the JVM). */
    static ServerProcess startInCgroup(ServerUnderTest server, PidsCgroup cgroup, Path log, String... args) throws Exception {
        return startListening(server, "echo $$ > '" + cgroup.procs() + "'", 0, log, WATCHDOG, args);
    }

    /** As {@link #start} but under {@code ulimit -n maxOpenFiles} (through bash, which then execs the JVM). */
    public static ServerProcess startWithOpenFileLimit(ServerUnderTest server, Path log, int maxOpenFiles,
                                                       String... args) throws Exception {
        return startListening(server, "ulimit -n " + maxOpenFiles, 0, log, WATCHDOG, args);
    }

    /** Starts {@code server} with {@code --port PORT --log LOG ARGS...} (after {@code prelude}, if any) and waits until it listens. */
    private static ServerProcess startListening(ServerUnderTest server, String prelude, int port, Path log,
                                                Duration watchdog, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port), "--log", log.toString()));
        all.addAll(List.of(args));
        ServerProcess p = launch(server, prelude, all, watchdog);
        p.awaitListening();
        return p;
    }

    /** Runs the server with exactly {@code args} (for bad command lines) and waits for it to exit. */
    public static Exit runToExit(ServerUnderTest server, String... args) throws Exception {
        try (ServerProcess p = launch(server, null, List.of(args))) {
            p.result.waitFor(STARTUP);
            if (!p.result.hasResult()) throw new AssertionError(server + " did not exit with arguments " + List.of(args));
            p.process.awaitOutput(Duration.ofSeconds(10));
            return new Exit(p.result.getExitValue(), Duration.ZERO, p.stdout(), p.stderr());
        }
    }

    /** @param prelude null, or a shell command run before bash execs the JVM (same pid) */
    private static ServerProcess launch(ServerUnderTest server, String prelude, List<String> args) throws IOException {
        return launch(server, prelude, args, WATCHDOG);
    }

    private static ServerProcess launch(ServerUnderTest server, String prelude, List<String> args, Duration watchdog)
            throws IOException {
        // java -jar JAR, or a course-c executable (ServerUnderTest.command()).
        List<String> command = server.command();
        CommandLine cmd;
        if (prelude == null) {
            cmd = new CommandLine(command.getFirst());
        } else {
            cmd = new CommandLine("bash").addArgument("-c").addArgument(prelude + " && exec \"$@\"", false)
                    .addArgument("bash").addArgument(command.getFirst(), false);
        }
        for (String a : command.subList(1, command.size())) cmd.addArgument(a, false);
        for (String a : server.modeArgs) cmd.addArgument(a, false);
        for (String a : args) cmd.addArgument(a, false);

        List<String> out = Collections.synchronizedList(new ArrayList<>());
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        List<Consumer<String>> errListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        CapturingExecutor executor = new CapturingExecutor(real -> new OwnStreams(real, out, line -> {
            Matcher m = LISTENING.matcher(line);
            if (m.matches()) port.complete(Integer.parseInt(m.group(2)));
        }, err, line -> errListeners.forEach(l -> l.accept(line))));
        executor.setStreamHandler(new PumpStreamHandler(OutputStream.nullOutputStream()));
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(watchdog).get());
        executor.setProcessDestroyer(new ShutdownHookProcessDestroyer());
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                super.onProcessComplete(exitValue);
                port.completeExceptionally(new IllegalStateException("exited with status " + exitValue + " before listening"));
            }

            @Override
            public void onProcessFailed(org.apache.commons.exec.ExecuteException e) {
                super.onProcessFailed(e);
                port.completeExceptionally(new IllegalStateException("exited (" + e.getMessage() + ") before listening"));
            }
        };
        executor.execute(cmd, result);
        return new ServerProcess(server, executor.started.join(), result, out, err, port, errListeners);
    }

    private void awaitListening() throws Exception {
        try {
            port.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            close();
            throw new AssertionError(server + " did not print 'listening on HOST:PORT' (" + e.getMessage()
                    + "); stdout " + stdout() + ", stderr " + stderr(), e);
        }
    }

    /** The port from the {@code listening on} line. */
    public int port() {
        return port.join();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    public List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /**
     * Waits until the server prints a line containing {@code text} on stderr (or has printed one
     * already) and returns it; fails after {@code limit}.
     */
    public String awaitStderrLine(String text, Duration limit) throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        Consumer<String> listener = line -> {
            if (line.contains(text)) seen.complete(line);
        };
        stderrListeners.add(listener);                       // first listen, then look back: no line slips between
        try {
            stderr().stream().filter(l -> l.contains(text)).findFirst().ifPresent(seen::complete);
            return seen.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(server + " printed no line containing '" + text + "' on stderr within "
                    + limit + "; stderr " + stderr(), e);
        } finally {
            stderrListeners.remove(listener);
        }
    }

    /** Sends SIGTERM and waits up to {@code limit} for the exit. */
    public Exit terminate(Duration limit) throws InterruptedException {
        long t0 = System.nanoTime();
        process.destroy();                                   // SIGTERM on Linux
        result.waitFor(limit);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        process.awaitOutput(Duration.ofSeconds(10));
        if (!result.hasResult()) {
            throw new AssertionError(server + " did not exit within " + limit + " of SIGTERM; stderr " + stderr());
        }
        return new Exit(result.getExitValue(), took, stdout(), stderr());
    }

    /** Stops the server if it still runs: SIGTERM, then SIGKILL of it and all its descendants, by pid. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        result.waitFor(Duration.ofSeconds(5));
        for (ProcessHandle d : descendants) d.destroyForcibly();
        if (process.isAlive()) {
            process.destroyForcibly();
            result.waitFor(Duration.ofSeconds(5));
        }
    }

    /** Commons Exec does not expose the Process it launched; this executor remembers it (wrapped). */
    private static final class CapturingExecutor extends DefaultExecutor {
        final CompletableFuture<OwnStreams> started = new CompletableFuture<>();
        private final java.util.function.Function<Process, OwnStreams> wrap;

        CapturingExecutor(java.util.function.Function<Process, OwnStreams> wrap) {
            this.wrap = wrap;
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
            return remember(super.launch(command, env, dir));
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            return remember(super.launch(command, env, dir));
        }

        private synchronized Process remember(Process p) {
            if (p instanceof OwnStreams own) return own;     // launch(File) delegated to launch(Path)
            OwnStreams own = wrap.apply(p);
            started.complete(own);
            return own;
        }
    }

    /**
     * Commons Exec closes a process's streams as soon as the process exits, which can lose the
     * last lines still in the pipe (the summary). So the executor is given this stand-in, whose
     * streams are empty, while the real stdout and stderr are read here to end of file, line by
     * line; {@link #awaitOutput} returns once both are fully read.
     */
    private static final class OwnStreams extends Process {
        private final Process real;
        private final List<Thread> readers = new ArrayList<>();

        OwnStreams(Process real, List<String> out, Consumer<String> outListener, List<String> err,
                   Consumer<String> errListener) {
            this.real = real;
            readers.add(Thread.ofPlatform().daemon(true).name("server-stdout")
                    .start(() -> pump(real.getInputStream(), out, outListener)));
            readers.add(Thread.ofPlatform().daemon(true).name("server-stderr")
                    .start(() -> pump(real.getErrorStream(), err, errListener)));
        }

        void awaitOutput(Duration limit) throws InterruptedException {
            for (Thread t : readers) t.join(limit);
        }

        private static void pump(InputStream in, List<String> lines, Consumer<String> listener) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    listener.accept(line);
                }
            } catch (IOException closed) {
                // what was read is kept
            }
        }

        @Override public OutputStream getOutputStream() { return OutputStream.nullOutputStream(); }
        @Override public InputStream getInputStream() { return InputStream.nullInputStream(); }
        @Override public InputStream getErrorStream() { return InputStream.nullInputStream(); }
        @Override public int waitFor() throws InterruptedException { return real.waitFor(); }
        @Override public int exitValue() { return real.exitValue(); }
        /** SIGTERM through the handle: Process.destroy() would also close the streams still being read. */
        @Override public void destroy() { real.toHandle().destroy(); }
        @Override public Process destroyForcibly() { return real.destroyForcibly(); }
        @Override public boolean isAlive() { return real.isAlive(); }
        @Override public long pid() { return real.pid(); }
        @Override public ProcessHandle toHandle() { return real.toHandle(); }
        @Override public java.util.stream.Stream<ProcessHandle> descendants() { return real.descendants(); }
    }
}
