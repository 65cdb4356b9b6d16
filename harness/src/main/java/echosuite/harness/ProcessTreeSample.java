package echosuite.harness;

/**
 * One look at a process and all its descendants, summed, as {@link ProcSampler} read it from
 * {@code /proc}.
 *
 * @param processes   live processes in the tree (the root included); 0 if the root is gone
 * @param threads     threads summed over the tree ({@code num_threads} of each process)
 * @param openFds     open file descriptors summed over the tree ({@code /proc/PID/fd} entries)
 * @param rssBytes    resident set size summed over the tree, bytes; pages shared between the
 *                    processes (the forking server's child JVMs share their mapped JDK files) are
 *                    counted once per process, so this overstates the tree's real footprint
 * @param pssBytes    proportional set size summed over the tree, bytes: each shared page is split
 *                    between the processes sharing it, so the sum is the tree's fair footprint
 * @param cpuMicros   CPU time (user + system) of the tree in microseconds: the live processes' own
 *                    time plus what their exited, reaped children had used (cutime, cstime), so
 *                    the forking server's short-lived handler processes are not lost
 */
record ProcessTreeSample(int processes, int threads, int openFds, long rssBytes, long pssBytes, long cpuMicros) {

    static final ProcessTreeSample GONE = new ProcessTreeSample(0, 0, 0, 0, 0, 0);
}
