package echosuite.harness;

import echosuite.serverprocess.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One load generator process putting one scenario on one server. It runs the load, closes its
 * connections, checks the server's log with {@code --verify-log} (the server is still running: it
 * writes every record within 100 ms of receiving it, protocol.md, so once every connection is
 * closed its log is complete), writes its JSON (verdict included: {@code logVerified},
 * {@code logReport}) and exits. The harness stops the server after it. Started through Commons
 * Exec like the servers (watchdog, process destroyer); its output is kept for the run folder.
 */
final class LoadgenRun {

    private final ChildProcess child;
    private final List<String> output = new ArrayList<>();

    private LoadgenRun(List<String> command, Path workingDirectory, Duration limit) throws IOException {
        this.child = ChildProcess.start(command, Map.of(), workingDirectory, limit, this::line, this::line);
    }

    static LoadgenRun start(List<String> command, Path workingDirectory, Duration limit) throws IOException {
        return new LoadgenRun(command, workingDirectory, limit);
    }

    /**
     * Waits for the load generator to exit; kills it if it has not within {@code limit}.
     *
     * @return its exit status, or empty if it had to be killed
     */
    OptionalInt awaitExit(Duration limit) throws InterruptedException {
        OptionalInt exit = child.waitFor(limit);
        if (exit.isEmpty()) {
            child.kill();
            child.waitFor(Duration.ofSeconds(5));
        }
        return exit;
    }

    /** Kills it at once (no-op once it has exited). */
    void kill() {
        child.kill();
    }

    /** Its stdout and stderr lines. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
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
    }
}
