package echosuite.loadgen;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Errors of one I/O thread by {@link ErrorKind}, with the reasons seen (e.g. "Connection refused:
 * 12"). Counts are atomic so the progress line can read them while the run goes on; errors are
 * rare, so their cost does not matter. Reasons are read after the thread has ended.
 */
final class ErrorCounts {

    /** At most this many distinct reasons are kept; further ones are counted under "other reasons". */
    static final int MAX_REASONS = 20;

    private final AtomicLongArray counts = new AtomicLongArray(ErrorKind.values().length);
    private final Map<String, Long> reasons = new LinkedHashMap<>();

    void count(ErrorKind kind, String reason) {
        counts.incrementAndGet(kind.ordinal());
        String key = kind.key + ": " + reason;
        synchronized (reasons) {
            if (reasons.containsKey(key) || reasons.size() < MAX_REASONS) reasons.merge(key, 1L, Long::sum);
            else reasons.merge("other reasons", 1L, Long::sum);
        }
    }

    long get(ErrorKind kind) {
        return counts.get(kind.ordinal());
    }

    long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) t += counts.get(i);
        return t;
    }

    /** Adds this thread's counts and reasons into the run's totals. */
    void addTo(EnumMap<ErrorKind, Long> totals, Map<String, Long> allReasons) {
        for (ErrorKind k : ErrorKind.values()) totals.merge(k, get(k), Long::sum);
        synchronized (reasons) {
            reasons.forEach((r, n) -> allReasons.merge(r, n, Long::sum));
        }
    }
}
