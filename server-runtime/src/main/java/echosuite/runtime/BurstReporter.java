package echosuite.runtime;

import java.io.PrintStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reports recurring trouble (too many open files, no more threads, a full disk) on standard
 * error once per burst instead of once per occurrence, and counts every occurrence.
 *
 * <p>A burst is a run of reports less than {@code quietNanos} apart. The first report of a
 * burst is printed; the rest are only counted, and the next printed line says how many were
 * suppressed. Thread-safe.
 */
public final class BurstReporter {

    private final String prefix;
    private final PrintStream err;
    private final long quietNanos;
    private final LongAdder occurrences = new LongAdder();
    private long lastEventNanos;
    private long suppressed;
    private boolean anyPrinted;

    public BurstReporter(String prefix, PrintStream err, long quietMillis) {
        this.prefix = prefix;
        this.err = err;
        this.quietNanos = quietMillis * 1_000_000L;
    }

    /** A reporter for {@code prefix} on {@code System.err}, bursts separated by one second. */
    public static BurstReporter stderr(String prefix) {
        return new BurstReporter(prefix, System.err, 1000);
    }

    /** Counts one occurrence and prints it if it opens a new burst. */
    public void report(String message) {
        occurrences.increment();
        long now = System.nanoTime();
        String line = null;
        synchronized (this) {
            boolean newBurst = !anyPrinted || now - lastEventNanos >= quietNanos;
            lastEventNanos = now;
            if (newBurst) {
                line = prefix + ": " + message
                        + (suppressed > 0 ? " (" + suppressed + " similar reports suppressed before this one)" : "");
                suppressed = 0;
                anyPrinted = true;
            } else {
                suppressed++;
            }
        }
        if (line != null) {
            err.println(line);
            err.flush();
        }
    }

    /**
     * Prints {@code message} whatever the burst: for a one-time outcome (records given up at
     * exit) that must not hide among the suppressed reports of the trouble that caused it.
     */
    public void announce(String message) {
        err.println(prefix + ": " + message);
        err.flush();
    }

    /** Every occurrence reported so far, printed or not. */
    public long occurrences() {
        return occurrences.sum();
    }
}
