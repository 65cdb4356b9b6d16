package echosuite.serverprocess;

import echosuite.protocol.Summary;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What a server printed, as its reader threads hand it over line by line: stdout and stderr in
 * the order they came (the last {@code kept} lines, or all), its last {@code summary} line
 * whatever was dropped, and waiting for a given line on stderr.
 */
public final class OutputLines {

    /** The tag before a stderr line in {@link #transcript}. */
    public static final String STDERR = "stderr: ";

    private record Line(boolean stderr, String text) { }

    private final int kept;
    private final Deque<Line> lines = new ArrayDeque<>();
    private final List<Consumer<String>> stderrListeners = new CopyOnWriteArrayList<>();
    private volatile String summaryLine;

    OutputLines(int kept) {
        this.kept = kept;
    }

    void stdout(String line) {
        if (line.startsWith(Summary.PREFIX)) summaryLine = line;
        add(new Line(false, line));
    }

    void stderr(String line) {
        add(new Line(true, line));
        stderrListeners.forEach(l -> l.accept(line));
    }

    private void add(Line line) {
        synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > kept) lines.removeFirst();
        }
    }

    public List<String> stdout() {
        synchronized (lines) {
            return lines.stream().filter(l -> !l.stderr()).map(Line::text).toList();
        }
    }

    public List<String> stderr() {
        synchronized (lines) {
            return lines.stream().filter(Line::stderr).map(Line::text).toList();
        }
    }

    /** Both streams in the order the lines came, each stderr line tagged {@value #STDERR}. */
    public List<String> transcript() {
        synchronized (lines) {
            return lines.stream().map(l -> l.stderr() ? STDERR + l.text() : l.text()).toList();
        }
    }

    /** The last {@code summary} line printed on stdout, if any. */
    Optional<String> summaryLine() {
        return Optional.ofNullable(summaryLine);
    }

    /** "; its last words: " and the last three of its (tagged) stderr lines, or "" if it printed none. */
    String lastWords() {
        return lastWords(transcript().stream().filter(l -> l.startsWith(STDERR)).toList());
    }

    /** "; its last words: " and the last three of {@code lines} joined by " | ", or "" if there are none. */
    public static String lastWords(List<String> lines) {
        if (lines.isEmpty()) return "";
        return "; its last words: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** Waits until a stderr line contains {@code text} (or one did already) and returns it. */
    String awaitStderr(String text, Duration limit) throws TimeoutException, InterruptedException {
        CompletableFuture<String> seen = new CompletableFuture<>();
        Consumer<String> listener = line -> {
            if (line.contains(text)) seen.complete(line);
        };
        stderrListeners.add(listener);                       // first listen, then look back: no line slips between
        try {
            stderr().stream().filter(l -> l.contains(text)).findFirst().ifPresent(seen::complete);
            return seen.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("no line containing '" + text + "' on stderr within " + limit.toMillis() + " ms; stderr " + stderr());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);              // the listener never fails the future
        } finally {
            stderrListeners.remove(listener);
        }
    }
}
