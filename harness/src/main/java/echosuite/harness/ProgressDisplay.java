package echosuite.harness;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress lines of {@code ./suite run}: before each repetition which server, which scenario
 * and how long the rest of the run will take; after it the headline figures. The estimate is the
 * load time still planned plus, per remaining repetition, the average overhead measured so far
 * (server start, load generator start, stop, log verification).
 */
final class ProgressDisplay {

    /** Overhead per repetition assumed before any was measured, s. */
    private static final double FIRST_GUESS_OVERHEAD = 4.0;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private int total, done;
    private long plannedLoadSeconds, doneLoadSeconds;

    ProgressDisplay(PrintStream out) {
        this.out = out;
    }

    /** The whole run: {@code repetitions} repetitions putting {@code loadSeconds} of load in all. */
    void plan(int repetitions, long loadSeconds) {
        total = repetitions;
        plannedLoadSeconds = loadSeconds;
        out.printf(Locale.ROOT, "run: %d scenario runs, about %s in all%n", total, clock(secondsLeft()));
    }

    void starting(String server, Scenario scenario, int repetition) {
        String rep = scenario.repetitions() > 1 ? " (" + repetition + "/" + scenario.repetitions() + ")" : "";
        out.printf(Locale.ROOT, "[%d/%d] %-15s %-24s %ds of load ... elapsed %s, left ~%s%n", done + 1, total, server,
                scenario.id() + rep, scenario.loadSeconds(), clock(elapsedSeconds()), clock(secondsLeft()));
    }

    void finished(Scenario scenario, String headline) {
        done++;
        doneLoadSeconds += scenario.loadSeconds();
        out.println("        " + headline);
    }

    /** A server skipped as a whole (not built, or failed to start on every scenario). */
    void skipped(String server, String why, int repetitions, long loadSeconds) {
        total -= repetitions;
        plannedLoadSeconds -= loadSeconds;
        out.printf(Locale.ROOT, "%-15s skipped: %s%n", server, why);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private double secondsLeft() {
        double overhead = done == 0 ? FIRST_GUESS_OVERHEAD : Math.max(0, (elapsedSeconds() - doneLoadSeconds) / done);
        return (plannedLoadSeconds - doneLoadSeconds) + (total - done) * overhead;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
