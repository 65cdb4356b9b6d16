package echosuite.serverprocess;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;
import org.apache.commons.exec.environment.EnvironmentUtils;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A child process (a server, a load generator) started with Apache Commons Exec:
 * <ul>
 *   <li>an {@link ExecuteWatchdog} ends it if it outlives its life limit, so a hung child cannot
 *       hang a run or a build;</li>
 *   <li>one {@link ShutdownHookProcessDestroyer} for the whole JVM ends every child still running
 *       when the JVM exits, also on Ctrl-C;</li>
 *   <li>its stdout and stderr are read to their end, line by line, by threads of its own.</li>
 * </ul>
 * Commons Exec neither exposes the {@link Process} nor lets its streams be read to the end: it
 * closes them as soon as the process exits, which can lose the last lines still in the pipe (a
 * server's summary). So the executor is handed a stand-in whose streams are empty, and the real
 * ones are read here.
 */
public final class ChildProcess {

    /** Shared by every child of this JVM: its shutdown hook ends them all. */
    private static final ProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();
    /** Once it exited, how long its output may take to reach its end (a descendant may hold the pipe open). */
    private static final Duration OUTPUT_LIMIT = Duration.ofSeconds(10);

    private final OwnStreams process;
    private final DefaultExecuteResultHandler result;

    private ChildProcess(OwnStreams process, DefaultExecuteResultHandler result) {
        this.process = process;
        this.result = result;
    }

    /**
     * Starts {@code command}.
     *
     * @param environment      variables added to this JVM's environment for it
     * @param workingDirectory its working directory; null for this JVM's
     * @param lifeLimit        the watchdog ends it after this long
     * @param stdout           receives each stdout line, on a reader thread
     * @param stderr           receives each stderr line, on another
     * @throws IOException if the program cannot be started at all
     */
    public static ChildProcess start(List<String> command, Map<String, String> environment, Path workingDirectory,
                                     Duration lifeLimit, Consumer<String> stdout, Consumer<String> stderr) throws IOException {
        CommandLine cmd = new CommandLine(command.getFirst());
        // handleQuoting=false: arguments are passed as they are, spaces and all.
        for (String arg : command.subList(1, command.size())) cmd.addArgument(arg, false);

        CapturingExecutor executor = new CapturingExecutor(real -> new OwnStreams(real, stdout, stderr));
        if (workingDirectory != null) executor.setWorkingDirectory(workingDirectory.toFile());
        executor.setStreamHandler(new PumpStreamHandler(OutputStream.nullOutputStream()));
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(lifeLimit).get());
        executor.setProcessDestroyer(DESTROYER);
        executor.setExitValues(null);              // every exit status is a result, not an exception
        Map<String, String> env = null;            // null: inherit this JVM's as it is
        if (!environment.isEmpty()) {
            env = new HashMap<>(EnvironmentUtils.getProcEnvironment());
            env.putAll(environment);
        }
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        executor.execute(cmd, env, result);
        try {
            return new ChildProcess(executor.started.get(30, TimeUnit.SECONDS), result);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException("could not start " + command.getFirst() + ": " + e, e);
        }
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process has exited (its last output may still be on its way). */
    public CompletableFuture<Process> onExit() {
        return process.real.onExit();
    }

    /** Sends SIGTERM, by pid (through its {@link ProcessHandle}). */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL to it and everything it started, without waiting. */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** The processes it started and theirs, alive now. */
    Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    /**
     * Waits until the process has exited and its output has been read to the end.
     *
     * @return its exit status, or empty if it is still running after {@code limit}
     */
    public OptionalInt waitFor(Duration limit) throws InterruptedException {
        result.waitFor(limit);
        if (!result.hasResult()) return OptionalInt.empty();
        process.awaitOutput(OUTPUT_LIMIT);
        return OptionalInt.of(result.getExitValue());
    }

    /** {@link DefaultExecutor} that hands out the process it launched, wrapped in {@link OwnStreams}. */
    private static final class CapturingExecutor extends DefaultExecutor {
        final CompletableFuture<OwnStreams> started = new CompletableFuture<>();
        private final java.util.function.Function<Process, OwnStreams> wrap;

        @SuppressWarnings("deprecation")
        CapturingExecutor(java.util.function.Function<Process, OwnStreams> wrap) {
            this.wrap = wrap;
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
            return remember(() -> super.launch(command, env, dir));
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            return remember(() -> super.launch(command, env, dir));
        }

        private synchronized Process remember(Launch launch) throws IOException {
            Process p;
            try {
                p = launch.run();
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                throw e;
            }
            if (p instanceof OwnStreams own) return own;     // launch(File) delegated to launch(Path)
            OwnStreams own = wrap.apply(p);
            started.complete(own);
            return own;
        }

        private interface Launch {
            Process run() throws IOException;
        }
    }

    /**
     * The stand-in the executor is given: its streams are empty, while the real stdout and stderr
     * are read here to their end, line by line; {@link #awaitOutput} returns once both are.
     */
    private static final class OwnStreams extends Process {
        private final Process real;
        private final List<Thread> readers;

        OwnStreams(Process real, Consumer<String> stdout, Consumer<String> stderr) {
            this.real = real;
            this.readers = List.of(
                    Thread.ofPlatform().daemon(true).name("child-" + real.pid() + "-stdout").start(() -> read(real.getInputStream(), stdout)),
                    Thread.ofPlatform().daemon(true).name("child-" + real.pid() + "-stderr").start(() -> read(real.getErrorStream(), stderr)));
        }

        void awaitOutput(Duration limit) throws InterruptedException {
            for (Thread t : readers) t.join(limit);
        }

        private static void read(InputStream in, Consumer<String> lines) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.accept(line);
            } catch (IOException closed) {
                // what was read is kept
            }
        }

        @Override public OutputStream getOutputStream() { return OutputStream.nullOutputStream(); }
        @Override public InputStream getInputStream() { return InputStream.nullInputStream(); }
        @Override public InputStream getErrorStream() { return InputStream.nullInputStream(); }
        @Override public int waitFor() throws InterruptedException { return real.waitFor(); }
        @Override public int exitValue() { return real.exitValue(); }
        /** Signals go through the handle: Process.destroy() would also close the streams still being read. */
        @Override public void destroy() { real.toHandle().destroy(); }
        @Override public Process destroyForcibly() {
            real.toHandle().destroyForcibly();
            return this;
        }
        @Override public boolean isAlive() { return real.isAlive(); }
        @Override public long pid() { return real.pid(); }
        @Override public ProcessHandle toHandle() { return real.toHandle(); }
        @Override public Stream<ProcessHandle> descendants() { return real.descendants(); }
    }
}
