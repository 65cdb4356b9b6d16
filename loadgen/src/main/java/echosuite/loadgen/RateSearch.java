package echosuite.loadgen;

import echosuite.report.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * find-max's search: the highest rate whose coordinated-omission-corrected p99 stays under the
 * SLO, by a bounded series of rate runs. It doubles the rate from {@code startRate} until a run
 * fails (or {@code maxRate} passes), then bisects between the highest passing and the lowest
 * failing rate until they are within {@code precision} of each other. At most {@code maxSteps}
 * runs, whatever happens.
 *
 * <p>A run passes when every message intended in its window was answered (no errors, nothing
 * left unsent) and its corrected p99 is below the SLO. A server past its capacity builds a queue,
 * so the corrected latency of an open loop grows without bound and the run fails clearly.
 */
final class RateSearch {

    /** One run of the search. */
    record Step(double rate, RunResult result, boolean passed, String verdict) { }

    /** Runs one rate run at the given rate (msgs/s). */
    interface RateRunner {
        RunResult run(double rate) throws Exception;
    }

    private final long sloNs;
    private final double startRate, maxRate, precision;
    private final int maxSteps;

    RateSearch(long sloNs, double startRate, double maxRate, int maxSteps, double precision) {
        this.sloNs = sloNs;
        this.startRate = startRate;
        this.maxRate = maxRate;
        this.maxSteps = maxSteps;
        this.precision = precision;
    }

    /** Runs the search; the steps in the order run. */
    List<Step> search(RateRunner runner) throws Exception {
        List<Step> steps = new ArrayList<>();
        double pass = 0, fail = Double.POSITIVE_INFINITY;
        double rate = Math.min(startRate, maxRate);
        while (steps.size() < maxSteps) {
            RunResult r = runner.run(rate);
            String verdict = verdict(r);
            boolean passed = verdict == null;
            steps.add(new Step(rate, r, passed, passed ? "p99 under the SLO" : verdict));
            if (r.failure != null || r.errorCount(ErrorKind.MISMATCH) > 0) break;   // no point going on
            if (passed) pass = rate;
            else fail = rate;
            if (fail == Double.POSITIVE_INFINITY) {
                if (rate >= maxRate) break;                        // passed at the highest rate allowed
                rate = Math.min(rate * 2, maxRate);
            } else {
                if ((fail - pass) <= precision * fail) break;      // close enough
                rate = (pass + fail) / 2;
            }
        }
        return steps;
    }

    /** Null if the run meets the SLO, else why not. */
    String verdict(RunResult r) {
        if (r.failure != null) return "the run failed: " + r.failure;
        if (r.totalErrors() > 0) return r.totalErrors() + " errors";
        if (r.count("messagesNotSent") > 0) return r.count("messagesNotSent") + " messages not sent";
        if (r.latency().getTotalCount() == 0) return "no messages measured";
        long p99 = r.latency().getValueAtPercentile(99);
        if (p99 >= sloNs) return "p99 " + Units.latency(p99) + " is not under " + Units.latency(sloNs);
        return null;
    }

    /** The passing step with the highest rate, or null. */
    static Step best(List<Step> steps) {
        Step best = null;
        for (Step s : steps) if (s.passed() && (best == null || s.rate() > best.rate())) best = s;
        return best;
    }
}
