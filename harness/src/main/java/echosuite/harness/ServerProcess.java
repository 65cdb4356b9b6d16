package echosuite.harness;


import echosuite.protocol.Summary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running server: started from its jar on {@code --port 0} with its own log file, ready once
 * it printed {@code listening on HOST:PORT}, stopped with SIGTERM, after which it prints its
 * {@code summary} line and exits 0 (protocol.md, Shutdown).
 */
final class ServerProcess {

    /** The protocol gives a server 5 s from SIGTERM to exit; a little more before we kill it. */
    static final Duration STOP_LIMIT = Duration.ofSeconds(8);

    private static final String LISTENING = "listening on ";
    private static final int KEPT_OUTPUT_LINES = 30;

    private final ChildProcess child;
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    private final CompletableFuture<Map<String, Long>> summary = new CompletableFuture<>();
    private final Deque<String> output = new ArrayDeque<>();

    private ServerProcess(List<String> command, Path workingDirectory, Duration lifeLimit) throws IOException {
        this.child = ChildProcess.start(command, workingDirectory, lifeLimit, this::stdout, line -> keep("stderr: " + line));
    }

    /** The outcome of a stop: exit status (empty if it had to be killed) and its summary fields. */
    record Stopped(OptionalInt exitCode, Map<String, Long> summary, boolean exitedBeforeStop, List<String> problems) { }

    /** A server that did not come up, with its reason in one sentence. */
    static final class StartFailure extends Exception {
        StartFailure(String sentence) {
            super(sentence, null, false, false);
        }
    }

    /**
     * Starts {@code command} and waits for its {@code listening on} line.
     *
     * @param lifeLimit the longest the server may run in all; the watchdog kills it after that
     * @throws StartFailure if it exits or stays silent for {@code startLimit} instead
     */
    static ServerProcess start(List<String> command, Path workingDirectory, Duration startLimit, Duration lifeLimit)
            throws StartFailure, InterruptedException {
        ServerProcess server;
        try {
            server = new ServerProcess(command, workingDirectory, lifeLimit);
        } catch (IOException e) {
            throw new StartFailure("could not start " + String.join(" ", command) + ": " + e.getMessage());
        }
        server.child.onExit().thenRun(() -> server.listening.completeExceptionally(new IllegalStateException("exited")));
        try {
            server.listening.get(startLimit.toMillis(), TimeUnit.MILLISECONDS);
            return server;
        } catch (ExecutionException e) {
            server.child.waitFor(Duration.ofSeconds(5));   // let the pumps deliver its last words
            throw new StartFailure("it exited before printing 'listening on'" + server.lastWords());
        } catch (TimeoutException e) {
            server.child.kill();
            throw new StartFailure("it printed no 'listening on' line within " + startLimit.toSeconds() + " s" + server.lastWords());
        }
    }

    /** HOST:PORT from its {@code listening on} line. */
    String address() {
        return listening.join();
    }

    long pid() {
        return child.pid();
    }

    /**
     * Sends SIGTERM (by pid) and waits up to {@link #STOP_LIMIT} for the exit and summary line;
     * kills the process tree if it does not exit by then.
     */
    Stopped stop() throws InterruptedException {
        List<String> problems = new ArrayList<>();
        boolean exitedBefore = !child.isAlive();
        if (exitedBefore) {
            problems.add("the server exited by itself during the load" + lastWords());
        } else {
            child.terminate();
        }
        OptionalInt exit = child.waitFor(STOP_LIMIT);
        if (exit.isEmpty()) {
            problems.add("the server did not exit within " + STOP_LIMIT.toSeconds() + " s of SIGTERM; killed");
            child.kill();
            child.waitFor(Duration.ofSeconds(5));
        } else if (exit.getAsInt() != 0 && !exitedBefore) {
            problems.add("the server exited with status " + exit.getAsInt() + " after SIGTERM" + lastWords());
        }
        Map<String, Long> fields = summary.getNow(Map.of());
        if (exit.isPresent() && fields.isEmpty()) problems.add("the server printed no summary line");
        return new Stopped(exit, fields, exitedBefore, problems);
    }

    /** Kills the server and its descendants at once (used when the harness itself fails). */
    void kill() {
        child.kill();
    }

    /** The server's output lines kept for the record (the last {@value #KEPT_OUTPUT_LINES}). */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private void stdout(String line) {
        keep(line);
        if (line.startsWith(LISTENING)) {
            listening.complete(line.substring(LISTENING.length()).strip());
        } else if (line.startsWith(Summary.PREFIX)) {
            try {
                summary.complete(Summary.parse(line));
            } catch (IllegalArgumentException e) {
                keep("(unreadable summary line)");
            }
        }
    }

    private void keep(String line) {
        synchronized (output) {
            output.addLast(line);
            if (output.size() > KEPT_OUTPUT_LINES) output.removeFirst();
        }
    }

    private String lastWords() {
        List<String> err = output().stream().filter(l -> l.startsWith("stderr: ")).toList();
        return BenchmarkRun.lastLines(err);
    }
}
