package echosuite.loadgen;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStatus;

/** The load generator's own memory, from {@code /proc/PID/status} (Linux) as {@link ProcFs} reads it. */
final class ProcessMemory {

    private ProcessMemory() { }

    /** {VmRSS, VmHWM} in KiB (resident now, peak resident); -1 where unknown (not Linux). */
    static long[] rssKiB() {
        try {
            ProcStatus s = new ProcFs().status(ProcessHandle.current().pid());
            return new long[] {s.vmRssBytes() / 1024, s.vmHwmBytes() / 1024};
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: report unknown
            return new long[] {-1, -1};
        }
    }
}
