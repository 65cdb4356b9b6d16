package echosuite.harness;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import echosuite.procfs.SmapsRollup;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sums a process tree's resources, read by {@link ProcFs}, into a {@link ProcessTreeSample}: which
 * processes belong to the tree, and for each its threads, open file descriptors, RSS and PSS
 * ({@code smaps_rollup}) and CPU time including its reaped children's.
 *
 * <p>A process can exit while it is being read; what cannot be read any more counts as gone
 * rather than failing the sample. A zombie still counts as a process, holding no memory.
 */
final class ProcSampler {

    private final ProcFs proc;

    ProcSampler() {
        this(new ProcFs());
    }

    ProcSampler(Path proc) {
        this(new ProcFs(proc));
    }

    private ProcSampler(ProcFs proc) {
        this.proc = proc;
    }

    /** Samples the tree rooted at {@code rootPid}; {@link ProcessTreeSample#GONE} if the root is gone. */
    ProcessTreeSample sample(long rootPid) {
        int processes = 0, threads = 0, fds = 0;
        long rss = 0, pss = 0, cpuMicros = 0;
        for (ProcStat s : proc.tree(rootPid)) {
            SmapsRollup memory;
            try {
                memory = proc.smapsRollup(s.pid());
            } catch (IOException exitedMeanwhile) {
                continue;
            }
            processes++;
            threads += s.threads();
            cpuMicros += s.cpuMicrosWithReapedChildren();
            fds += openFds(s.pid());
            rss += memory.rssBytes();
            pss += memory.pssBytes();
        }
        if (processes == 0) return ProcessTreeSample.GONE;
        return new ProcessTreeSample(processes, threads, fds, rss, pss, cpuMicros);
    }

    private int openFds(long pid) {
        try {
            return proc.fdCount(pid);
        } catch (IOException exitedMeanwhile) {
            return 0;
        }
    }
}
