package echosuite.loadgen;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Spaces connection attempts of all I/O threads evenly at a maximum rate ({@code --connect-rate}),
 * so a large connection count ramps up instead of flooding the server's listen backlog.
 * Lock-free; shared by the I/O threads.
 */
final class ConnectPacer {

    /** Nanoseconds between two connects; 0 means no limit. */
    private final long intervalNs;
    /** The earliest time (nanoTime) the next connect may start. */
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    /** @param perSecond the highest connect rate, connections per second; 0 for no limit */
    ConnectPacer(double perSecond) {
        this.intervalNs = perSecond <= 0 ? 0 : Math.max(1, Math.round(1e9 / perSecond));
    }

    /**
     * Takes the next connect slot if it has come: returns 0 if the caller may connect now,
     * otherwise the time (nanoTime) at which to ask again. A late caller does not earn a burst:
     * the slot after it is one interval after now.
     */
    long tryAcquire(long now) {
        if (intervalNs == 0) return 0;
        while (true) {
            long slot = next.get();
            if (slot > now) return slot;
            if (next.compareAndSet(slot, now + intervalNs)) return 0;
        }
    }
}
