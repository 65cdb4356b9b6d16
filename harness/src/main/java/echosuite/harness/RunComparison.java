package echosuite.harness;

import echosuite.report.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares two runs row by row on each scenario's headline figure ({@link ResultTable#headline})
 * and flags the changes larger than the runs' own noise.
 *
 * <p>The noise of a row is its spread over repetitions ((max - min) / median of the headline
 * figure). A change is flagged when the ratio B/A moves further from 1 than the larger of the
 * two rows' spreads. A row measured only once has no spread; if neither run has one,
 * {@value #ASSUMED_NOISE} (10 %) is assumed and the line says so.
 */
final class RunComparison {

    /** Relative noise assumed when neither run repeated a scenario. */
    static final double ASSUMED_NOISE = 0.10;

    /**
     * One row of the comparison.
     *
     * @param a       headline figure in run A (null if absent or failed there)
     * @param b       headline figure in run B
     * @param ratio   b / a, or null
     * @param noise   the relative change below which the difference is noise
     * @param verdict "better", "worse", "same", or what else happened (missing, failed)
     */
    record Change(String scenario, String server, ScenarioKind kind, Double a, Double b, Double ratio, double noise,
                  boolean noiseAssumed, String verdict) {
        /** A real change, or figures in one run and none in the other (a server failed, or was not run). */
        boolean flagged() {
            return verdict.equals("better") || verdict.equals("worse") || (a == null) != (b == null);
        }
    }

    private RunComparison() { }

    static List<Change> compare(ResultTable runA, ResultTable runB) {
        List<Change> out = new ArrayList<>();
        for (ResultRow a : runA.rows()) {
            ResultRow b = runB.rows().stream()
                    .filter(r -> r.server().equals(a.server()) && r.scenario().equals(a.scenario())).findFirst().orElse(null);
            out.add(change(a, b));
        }
        for (ResultRow b : runB.rows()) {
            boolean inA = runA.rows().stream().anyMatch(r -> r.server().equals(b.server()) && r.scenario().equals(b.scenario()));
            if (!inA) out.add(new Change(b.scenario(), b.server(), b.kind(), null, ResultTable.headline(b), null, 0, false, "only in B"));
        }
        return out;
    }

    private static Change change(ResultRow a, ResultRow b) {
        Double ha = a.hasFigures() ? ResultTable.headline(a) : null;
        if (b == null) return new Change(a.scenario(), a.server(), a.kind(), ha, null, null, 0, false, "only in A");
        Double hb = b.hasFigures() ? ResultTable.headline(b) : null;
        if (ha == null && hb == null) return new Change(a.scenario(), a.server(), a.kind(), null, null, null, 0, false,
                "no figures in either (" + a.status() + " / " + b.status() + ")");
        if (ha == null) return new Change(a.scenario(), a.server(), a.kind(), null, hb, null, 0, false, "failed in A (" + a.status() + ")");
        if (hb == null) return new Change(a.scenario(), a.server(), a.kind(), ha, null, null, 0, false, "failed in B (" + b.status() + ")");
        Double sa = a.load().spread(), sb = b.load().spread();
        boolean assumed = sa == null && sb == null;
        double noise = assumed ? ASSUMED_NOISE : Math.max(sa == null ? 0 : sa, sb == null ? 0 : sb);
        double ratio = ha == 0 ? Double.POSITIVE_INFINITY : hb / ha;
        String verdict;
        if (Math.abs(ratio - 1) <= noise) verdict = "same";
        else verdict = (ratio > 1) == ResultTable.higherIsBetter(a.kind()) ? "better" : "worse";
        return new Change(a.scenario(), a.server(), a.kind(), ha, hb, ratio, noise, assumed, verdict);
    }

    /** The comparison as an aligned text table, flagged lines marked with {@code <<}. */
    static String format(List<Change> changes, String nameA, String nameB) {
        StringBuilder s = new StringBuilder();
        s.append("A = ").append(nameA).append("\nB = ").append(nameB).append('\n');
        s.append("Headline figure per scenario: msgs/s (pingpong, bulk), p99 latency (rate), conns/s (churn), memory/conn (hold).\n");
        s.append("A change is flagged (<<) when B/A differs from 1 by more than the runs' own spread over repetitions");
        s.append(" (").append(Math.round(ASSUMED_NOISE * 100)).append(" % assumed where neither run repeated the scenario).\n\n");
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"scenario", "server", "A", "B", "B/A", "noise", "verdict"});
        for (Change c : changes) {
            lines.add(new String[] {c.scenario(), c.server(), figure(c.kind(), c.a()), figure(c.kind(), c.b()),
                    Units.ratio(c.ratio()), c.ratio() == null ? "" : String.format(Locale.ROOT, "±%.0f%%%s", c.noise() * 100, c.noiseAssumed() ? "*" : ""),
                    c.verdict() + (c.flagged() ? "  <<" : "")});
        }
        int[] w = new int[7];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                s.append(String.format(Locale.ROOT, (i < 2 || i == 6 ? "%-" : "%") + w[i] + "s", l[i]));
                if (i < l.length - 1) s.append("  ");
            }
            s.append('\n');
        }
        long flagged = changes.stream().filter(Change::flagged).count();
        s.append('\n').append(flagged).append(" of ").append(changes.size()).append(" rows changed beyond the noise.\n");
        return s.toString();
    }

    private static String figure(ScenarioKind kind, Double v) {
        if (v == null) return "-";
        return switch (kind) {
            case RATE -> Units.micros(v);
            case HOLD -> Units.bytes(Math.round(v));
            case PINGPONG, BULK, CHURN -> Units.count(v) + "/s";
        };
    }
}
