package echosuite.harness;

import java.util.List;

/**
 * A server's resources during one load, from its {@link ResourceMonitor} series.
 *
 * @param baselineRssBytes   tree RSS just before the load started (the idle server)
 * @param baselinePssBytes   tree PSS just before the load started
 * @param peakRssBytes       highest tree RSS seen from the load's start to its end
 * @param peakPssBytes       highest tree PSS in the same window
 * @param peakThreads        most threads in the tree at once
 * @param peakProcesses      most processes in the tree at once
 * @param peakOpenFds        most open file descriptors in the tree at once
 * @param cpuMicros          CPU time the tree used from the load's start to its end (warm-up
 *                           included: the harness divides it by every message the server echoed,
 *                           from the server's own summary, warm-up included too)
 * @param loadMillis         length of that window, ms
 * @param samples            number of samples in the load window
 * @param heldLevels         hold: the tree's PSS at each level of held connections (empty otherwise,
 *                           and in runs made before levels existed)
 */
record ResourceUse(long baselineRssBytes, long baselinePssBytes, long peakRssBytes, long peakPssBytes,
                   int peakThreads, int peakProcesses, int peakOpenFds, long cpuMicros, long loadMillis,
                   int samples, List<LevelMemory> heldLevels) {

    ResourceUse {
        heldLevels = heldLevels == null ? List.of() : List.copyOf(heldLevels);
    }

    /** The same, with the PSS at each level of held connections. */
    ResourceUse withHeldLevels(List<LevelMemory> levels) {
        return new ResourceUse(baselineRssBytes, baselinePssBytes, peakRssBytes, peakPssBytes, peakThreads, peakProcesses,
                peakOpenFds, cpuMicros, loadMillis, samples, levels);
    }

    /** Computes the figures for the load that ran from {@code loadStart} to {@code loadEnd} (ms on the monitor's clock). */
    static ResourceUse of(List<ResourceMonitor.Timed> series, long loadStart, long loadEnd) {
        ProcessTreeSample baseline = ProcessTreeSample.GONE;
        long rss = 0, pss = 0;
        int threads = 0, processes = 0, fds = 0, n = 0;
        for (ResourceMonitor.Timed t : series) {
            ProcessTreeSample s = t.sample();
            if (s.processes() == 0) continue;
            if (t.atMillis() <= loadStart) baseline = s;
            if (t.atMillis() < loadStart || t.atMillis() > loadEnd) continue;
            n++;
            rss = Math.max(rss, s.rssBytes());
            pss = Math.max(pss, s.pssBytes());
            threads = Math.max(threads, s.threads());
            processes = Math.max(processes, s.processes());
            fds = Math.max(fds, s.openFds());
        }
        long cpu = Math.max(0, cpuAt(series, loadEnd) - cpuAt(series, loadStart));
        return new ResourceUse(baseline.rssBytes(), baseline.pssBytes(), rss, pss, threads, processes, fds, cpu,
                loadEnd - loadStart, n, List.of());
    }

    /** CPU µs of the tree at time {@code at}, linearly interpolated between the samples around it. */
    static long cpuAt(List<ResourceMonitor.Timed> series, long at) {
        ResourceMonitor.Timed before = null, after = null;
        for (ResourceMonitor.Timed t : series) {
            if (t.sample().processes() == 0) continue;
            if (t.atMillis() <= at) before = t;
            else { after = t; break; }
        }
        if (before == null) return after == null ? 0 : after.sample().cpuMicros();
        if (after == null || after.atMillis() == before.atMillis()) return before.sample().cpuMicros();
        double f = (double) (at - before.atMillis()) / (after.atMillis() - before.atMillis());
        return before.sample().cpuMicros() + Math.round(f * (after.sample().cpuMicros() - before.sample().cpuMicros()));
    }
}
