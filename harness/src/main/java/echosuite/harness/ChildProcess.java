package echosuite.harness;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A child process (a server or a load generator) started with Apache Commons Exec:
 * <ul>
 *   <li>an {@link ExecuteWatchdog} kills it if it outlives its time limit (a hung server or load
 *       generator cannot hang the run);</li>
 *   <li>one {@link ShutdownHookProcessDestroyer} for the whole harness destroys every child still
 *       running when the harness JVM exits, also on Ctrl-C, so no server outlives the run;</li>
 *   <li>its stdout and stderr are pumped line by line to consumers ({@link LineStream}).</li>
 * </ul>
 * Commons Exec does not expose the {@link Process}; the executor subclass below keeps it, because
 * the harness needs the pid (to sample {@code /proc} and to send SIGTERM by pid).
 */
final class ChildProcess {

    /** Shared by every child of this harness JVM: its shutdown hook destroys them all. */
    private static final ProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();

    private final Process process;
    private final DefaultExecuteResultHandler result;
    private final ExecuteWatchdog watchdog;

    private ChildProcess(Process process, DefaultExecuteResultHandler result, ExecuteWatchdog watchdog) {
        this.process = process;
        this.result = result;
        this.watchdog = watchdog;
    }

    /**
     * Starts {@code command} in {@code workingDirectory}.
     *
     * @param limit  the watchdog kills the process after this long
     * @param stdout receives each stdout line, on a pump thread
     * @param stderr receives each stderr line, on another pump thread
     * @throws IOException if the program cannot be started at all
     */
    static ChildProcess start(List<String> command, Path workingDirectory, Duration limit,
                              Consumer<String> stdout, Consumer<String> stderr) throws IOException {
        CommandLine cmd = new CommandLine(command.getFirst());
        // handleQuoting=false: arguments are passed as they are, spaces and all.
        for (String arg : command.subList(1, command.size())) cmd.addArgument(arg, false);

        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(limit).get();
        CapturingExecutor executor = new CapturingExecutor();
        executor.setWorkingDirectory(workingDirectory.toFile());
        executor.setStreamHandler(new PumpStreamHandler(new LineStream(stdout), new LineStream(stderr)));
        executor.setWatchdog(watchdog);
        executor.setProcessDestroyer(DESTROYER);
        executor.setExitValues(null);              // every exit status is a result, not an exception
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        executor.execute(cmd, result);
        Process process;
        try {
            process = executor.launched.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException("could not start " + command.getFirst() + ": " + e, e);
        }
        return new ChildProcess(process, result, watchdog);
    }

    /** The operating system's process id. */
    long pid() {
        return process.pid();
    }

    /** Completes when the process has exited (its output may still be in the pumps). */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM to the process (by pid, through {@link ProcessHandle#destroy()}). */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL to the process and everything it started. */
    void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }

    /**
     * Waits until the process has exited and its output has been pumped completely.
     *
     * @return the exit status, or empty if it is still running after {@code wait}
     */
    java.util.OptionalInt waitFor(Duration wait) throws InterruptedException {
        result.waitFor(wait);
        return result.hasResult() ? java.util.OptionalInt.of(result.getExitValue()) : java.util.OptionalInt.empty();
    }

    /** {@link DefaultExecutor} that hands out the {@link Process} it launched. */
    private static final class CapturingExecutor extends DefaultExecutor {
        final CompletableFuture<Process> launched = new CompletableFuture<>();

        @SuppressWarnings("deprecation")
        CapturingExecutor() {
            super();
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
            return keep(() -> super.launch(command, env, dir));
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            return keep(() -> super.launch(command, env, dir));
        }

        private Process keep(Launch launch) throws IOException {
            try {
                Process p = launch.run();
                launched.complete(p);
                return p;
            } catch (IOException | RuntimeException e) {
                launched.completeExceptionally(e);
                throw e;
            }
        }

        private interface Launch {
            Process run() throws IOException;
        }
    }
}
