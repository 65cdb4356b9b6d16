package echosuite.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The server's memory at one level of held connections (hold): the load generator's count and
 * the median PSS of the server's process tree in the level's settled part, the second half of
 * its interval. The first half is left to what the ramp into the level set going (the server
 * taking its new connections in, a collection, compilation); the median of a few samples rather
 * than one keeps a single reading taken during a collection from deciding the figure. No
 * collection is forced before a reading: the harness could not do that for every server alike
 * (a C server has no collector to ask).
 *
 * @param target      connections the level asked for
 * @param held        connections established and still open at the level's end
 * @param reached     false if the level's hold was cut short by the load generator's warm-up
 *                    limit: then it was not settled
 * @param fromMillis  the settled part's start, ms on the {@link ResourceMonitor}'s clock
 * @param toMillis    its end
 * @param samples     samples of the server's tree in it
 * @param pssBytes    their median PSS, bytes; null without samples
 */
record LevelMemory(long target, long held, boolean reached, long fromMillis, long toMillis, int samples, Long pssBytes) {

    /** The level whose whole interval is [{@code from}, {@code to}] (monitor ms), measured from {@code series}. */
    static LevelMemory of(List<ResourceMonitor.Timed> series, long target, long held, boolean reached, long from, long to) {
        long settledFrom = from + (to - from) / 2;
        List<Long> pss = new ArrayList<>();
        for (ResourceMonitor.Timed t : series) {
            if (t.sample().processes() > 0 && t.atMillis() >= settledFrom && t.atMillis() <= to) pss.add(t.sample().pssBytes());
        }
        pss.sort(null);
        int n = pss.size();
        Long median = n == 0 ? null : n % 2 == 1 ? pss.get(n / 2) : (pss.get(n / 2 - 1) + pss.get(n / 2)) / 2;
        return new LevelMemory(target, held, reached, settledFrom, to, n, median);
    }
}
