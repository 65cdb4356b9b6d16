package echosuite.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hold's levels of held connections, shared by a run's {@link Hold} workloads (one per I/O
 * thread). With a first level, the initial connections are that level, held quietly from the
 * start line for {@code --level-hold}; then every I/O thread opens its share of the rest, and
 * once every share is established or failed the full level is held quietly for
 * {@code --level-hold} too; then the measured window opens and the probe plays. The probe is
 * quiet during both levels so that nothing but the held connections changes between them: its
 * traffic would grow the server's heap with time, whatever the connections. Without a first
 * level, the full level is the only one: the measured window, the probe playing.
 *
 * <p>For each level it keeps its interval and the connections held at its end (established and
 * still open, the probe not counted), summed over the I/O threads: a harness that samples the
 * server during the run reads its memory at two levels, and the difference per connection is
 * the marginal cost of a connection, without the one-time costs that came with the first ones.
 */
final class HoldLevels {

    /**
     * One level as run.
     *
     * @param target   connections the level asked for (the probe not counted)
     * @param held     connections established and still open at the level's end, all threads
     * @param fromNs   when the level began to be held (nanoTime): every connection of it was
     *                 established or had failed, unless {@code reached} is false
     * @param toNs     when it ended (nanoTime)
     * @param reached  false if the window opened at {@code --warmup-limit} while the level's
     *                 connections were still being opened or before its hold was over: then it
     *                 was not settled
     */
    record Level(int target, long held, long fromNs, long toNs, boolean reached) { }

    private final int first, full;
    private final long holdNs, windowNs;
    private volatile int threads = 1;
    private volatile long t0;
    private volatile long fullReachedAt = Long.MAX_VALUE, fullEndedAt;
    private final AtomicLong firstHeld = new AtomicLong(), fullHeld = new AtomicLong();
    private final AtomicInteger firstEnded = new AtomicInteger(), fullEnded = new AtomicInteger();
    private final AtomicInteger sharesReached = new AtomicInteger(), fullCut = new AtomicInteger();

    /**
     * @param first     connections of the first level; 0 for one level only
     * @param full      connections held in all ({@code -c})
     * @param holdNs    how long each of two levels is held ({@code --level-hold})
     * @param windowNs  the measured window ({@code -d}): the only level when there is one
     */
    HoldLevels(int first, int full, long holdNs, long windowNs) {
        if (first < 0 || first >= full && first != 0) throw new IllegalArgumentException("first level " + first + " of " + full);
        this.first = first;
        this.full = full;
        this.holdNs = holdNs;
        this.windowNs = windowNs;
    }

    boolean twoLevels() {
        return first > 0;
    }

    /** Connections opened before the start line (the probe not counted). */
    int initial() {
        return twoLevels() ? first : full;
    }

    /** Connections I/O thread {@code index} of {@code threads} opens once the first level has been held. */
    int rest(int index) {
        int rest = full - initial();
        return rest / threads + (index < rest % threads ? 1 : 0);
    }

    void threads(int n) {
        threads = n;
    }

    /** The run has started at {@code t0}: the first level is held from now on. */
    void started(long t0) {
        this.t0 = t0;
    }

    /** When the first level ends and the rest are opened (nanoTime). */
    long firstEnds() {
        return t0 + holdNs;
    }

    /** A thread's first level has ended with {@code held} connections. */
    void firstEnded(long held) {
        firstHeld.addAndGet(held);
        firstEnded.incrementAndGet();
    }

    /** A thread's share of the rest is established or failed at {@code now}; the last thread's reaches the full level. */
    void shareReached(long now) {
        if (sharesReached.incrementAndGet() == threads) fullReachedAt = now;
    }

    /** When the full level's hold ends (nanoTime), Long.MAX_VALUE until it is reached. */
    long fullEnds() {
        long at = fullReachedAt;
        return at == Long.MAX_VALUE ? at : at + holdNs;
    }

    /** A thread's full level has ended at {@code now} with {@code held} connections; {@code cut}: before its hold was over. */
    void fullEnded(long held, boolean cut, long now) {
        fullHeld.addAndGet(held);
        if (cut) {
            fullCut.incrementAndGet();
            fullEndedAt = now;
        }
        fullEnded.incrementAndGet();
    }

    /** One level only: it was the measured window, which closed at {@code closes}. */
    void windowEnded(long held, long closes) {
        fullEndedAt = closes;
        fullEnded(held, false, closes);
    }

    /** The levels every I/O thread saw to their end, in order (a run stopped early may have fewer). */
    List<Level> levels() {
        List<Level> l = new ArrayList<>();
        int n = threads;
        if (twoLevels() && firstEnded.get() == n) l.add(new Level(first, firstHeld.get(), t0, firstEnds(), true));
        if (fullEnded.get() == n) {
            if (!twoLevels()) l.add(new Level(full, fullHeld.get(), fullEndedAt - windowNs, fullEndedAt, true));
            else if (fullCut.get() > 0) l.add(new Level(full, fullHeld.get(), firstEnds(), fullEndedAt, false));
            else l.add(new Level(full, fullHeld.get(), fullReachedAt, fullEnds(), true));
        }
        return l;
    }
}
