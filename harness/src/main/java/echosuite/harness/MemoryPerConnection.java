package echosuite.harness;

import java.util.List;
import java.util.Locale;

/**
 * Hold's memory per connection, two ways.
 *
 * <ul>
 *   <li><b>Marginal</b> (the headline): (PSS at the full level − PSS at the first level) /
 *       (connections held at the full level − at the first), from {@link LevelMemory}: what one
 *       more held connection costs. The one-time costs of the first connections (classes loaded,
 *       code compiled, buffers and pools sized on first use) are paid before the first level's
 *       reading, so they cancel; so does the idle server's footprint, and the probe connection's,
 *       which is open and quiet at both levels (its traffic would grow a heap with time).
 *       Included: the pages the server's whole process tree holds for the extra connections
 *       (thread stacks, buffers, per-connection objects, a process per connection). Excluded:
 *       kernel socket memory (in no process's PSS), and heap the collector has not touched yet
 *       or has not returned.</li>
 *   <li><b>Including one-time costs</b>: (peak PSS during the load − idle PSS before it) /
 *       connections established, the figure before two levels existed: it mixes the first
 *       connections' one-time costs and the load's young garbage in with the per-connection cost.</li>
 * </ul>
 */
final class MemoryPerConnection {

    /** The marginal figure in bytes per connection, or null and the reason why there is none. */
    record Marginal(Long bytes, String whyNone) { }

    private MemoryPerConnection() { }

    /** (peak PSS − idle PSS) / held, or null without resources or held connections. */
    static Long inclOneTime(ResourceUse u, long held) {
        if (u == null || held <= 0) return null;
        return Math.max(0, u.peakPssBytes() - u.baselinePssBytes()) / held;
    }

    /**
     * The slope between the last two levels, with the connections actually held at each; a
     * negative figure (the server's PSS fell between the levels, e.g. a collection returned
     * memory) is reported as measured.
     */
    static Marginal marginal(List<LevelMemory> levels) {
        if (levels.isEmpty()) return none("the load generator reported no levels of held connections (a run made before they existed)");
        if (levels.size() < 2) return none("the connections were held at one level only (--first-level 0), so there is no second level to compare");
        LevelMemory a = levels.get(levels.size() - 2), b = levels.getLast();
        if (!b.reached()) return none(String.format(Locale.ROOT,
                "the full level (%,d connections) was cut short by the load generator's warm-up limit: the rest were slow to be served", b.target()));
        if (b.held() <= a.held()) return none(String.format(Locale.ROOT,
                "the full level held no more connections than the first (%,d of %,d, then %,d of %,d)", a.held(), a.target(), b.held(), b.target()));
        if (a.pssBytes() == null || b.pssBytes() == null) return none(String.format(Locale.ROOT,
                "no memory sample fell in the settled half of the %s level", a.pssBytes() == null ? "first" : "full"));
        return new Marginal(Math.round((double) (b.pssBytes() - a.pssBytes()) / (b.held() - a.held())), null);
    }

    private static Marginal none(String why) {
        return new Marginal(null, why);
    }
}
