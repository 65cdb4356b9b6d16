package echosuite.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One load generator process putting one scenario on one server, in two phases:
 * <ol>
 *   <li>the load: it runs until it prints a line starting with {@value #LOAD_FINISHED} (it has
 *       written its results and closed its connections, and now waits to verify the log) or
 *       exits; the harness then stops the server;</li>
 *   <li>the verification: once the server has exited, the harness ends the load generator's stdin
 *       ({@link StdinGate}) and it checks the server's log ({@code --verify-log}), printing
 *       {@code log verified: ...} or {@code log NOT verified: ...} (the protocol module's
 *       {@code LogVerifier.Report}) and exiting.</li>
 * </ol>
 * It is started through Commons Exec like the servers (watchdog, destroyer); only stdin needs the
 * gate, which Commons Exec's {@code PumpStreamHandler} pumps like any other stream.
 */
final class LoadgenRun {

    /** The line prefix by which the load generator says its load is over. */
    static final String LOAD_FINISHED = "load finished";

    private final ChildProcess child;
    private final StdinGate stdin;
    private final CompletableFuture<Void> loadFinished = new CompletableFuture<>();
    private final List<String> output = new ArrayList<>();

    private LoadgenRun(List<String> command, Path workingDirectory, Duration limit) throws IOException {
        this.stdin = new StdinGate();
        this.child = ChildProcess.start(command, workingDirectory, limit, stdin, this::line, this::line);
        child.onExit().thenRun(() -> loadFinished.complete(null));
    }

    static LoadgenRun start(List<String> command, Path workingDirectory, Duration limit) throws IOException {
        return new LoadgenRun(command, workingDirectory, limit);
    }

    /**
     * Waits until the load is over (the {@value #LOAD_FINISHED} line or the process's exit).
     *
     * @return false if it was not over within {@code limit}
     */
    boolean awaitLoadFinished(Duration limit) throws InterruptedException {
        try {
            loadFinished.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets the load generator verify (ends its stdin) and waits for its exit. */
    OptionalInt finish(Duration limit) throws InterruptedException {
        stdin.open();
        OptionalInt exit = child.waitFor(limit);
        if (exit.isEmpty()) {
            child.kill();
            child.waitFor(Duration.ofSeconds(5));
        }
        return exit;
    }

    /** Kills it at once. */
    void kill() {
        stdin.open();
        child.kill();
    }

    /** Its stdout and stderr lines so far. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Its verdict on the log: the {@code log verified: ...} / {@code log NOT verified: ...} paragraph, or null. */
    String verification() {
        List<String> lines = output();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("log verified") || l.startsWith("log NOT verified")) {
                StringBuilder s = new StringBuilder(l);
                for (int k = i + 1; k < lines.size() && lines.get(k).startsWith("  - "); k++) s.append('\n').append(lines.get(k));
                return s.toString();
            }
        }
        return null;
    }

    void writeOutput(Path file) {
        try {
            Files.write(file, output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void line(String line) {
        synchronized (output) {
            output.add(line);
        }
        if (line.startsWith(LOAD_FINISHED)) loadFinished.complete(null);
    }
}
