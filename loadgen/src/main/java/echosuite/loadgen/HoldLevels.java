package echosuite.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hold's levels of held connections, shared by a run's {@link Hold} workloads (one per I/O
 * thread). With a first level, the initial connections are that level: held from the start line
 * for {@code -d}; then every I/O thread opens its share of the rest, and once every share is
 * established or failed the measured window opens, and the full level is held for {@code -d}
 * while the probe measures. Without one, the full level is the only one, held during the window.
 *
 * <p>For each level it keeps its interval and the connections held at its end (established and
 * still open, the probe not counted), summed over the I/O threads: a harness that samples the
 * server during the run reads its memory at two levels, and the difference per connection is the
 * marginal cost of a connection, without the one-time costs that came with the first ones.
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
     *                 connections were still being opened: then it was not settled
     */
    record Level(int target, long held, long fromNs, long toNs, boolean reached) { }

    private final int first, full;
    private final long holdNs;
    private volatile int threads = 1;
    private volatile long t0, windowCloses;
    private final AtomicLong firstHeld = new AtomicLong(), fullHeld = new AtomicLong();
    private final AtomicInteger firstEnded = new AtomicInteger(), fullEnded = new AtomicInteger();
    private final AtomicInteger sharesOpened = new AtomicInteger(), fullNotReached = new AtomicInteger();

    /**
     * @param first   connections of the first level; 0 for one level only
     * @param full    connections held in all ({@code -c})
     * @param holdNs  how long each level is held ({@code -d})
     */
    HoldLevels(int first, int full, long holdNs) {
        if (first < 0 || first >= full && first != 0) throw new IllegalArgumentException("first level " + first + " of " + full);
        this.first = first;
        this.full = full;
        this.holdNs = holdNs;
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

    /** A thread's share of the rest is established or failed; true for the last thread's (the full level is reached). */
    boolean shareReached() {
        return sharesOpened.incrementAndGet() == threads;
    }

    /**
     * A thread's full level has ended at the window's close with {@code held} connections; its
     * share of them was all established or failed at {@code reachedAt} (nanoTime).
     */
    void fullEnded(long held, long reachedAt, long windowCloses) {
        this.windowCloses = windowCloses;
        fullHeld.addAndGet(held);
        if (reachedAt > windowCloses - holdNs) fullNotReached.incrementAndGet();
        fullEnded.incrementAndGet();
    }

    /** The levels every I/O thread saw to their end, in order (a run stopped early may have fewer). */
    List<Level> levels() {
        List<Level> l = new ArrayList<>();
        int n = threads;
        if (twoLevels() && firstEnded.get() == n) l.add(new Level(first, firstHeld.get(), t0, firstEnds(), true));
        if (fullEnded.get() == n) l.add(new Level(full, fullHeld.get(), windowCloses - holdNs, windowCloses, fullNotReached.get() == 0));
        return l;
    }
}
