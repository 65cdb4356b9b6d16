package echosuite.harness;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The /proc sampler against a process tree whose shape we know: a shell with two child shells.
 * Synchronised on the tree being complete and settled: each child prints its pid once it runs,
 * then blocks reading the test's pipe, so its memory stays put while we sample. Stopped by pid.
 */
class ProcSamplerTest {

    private Process shell;

    /**
     * sh with two child shells, each printing {@code ready PID} and then blocking on a read of the
     * parent's stdin (fd 3: a background command's own stdin would be /dev/null).
     */
    private Process startTree() throws IOException {
        shell = new ProcessBuilder("sh", "-c", "exec 3<&0; "
                + "sh -c 'echo ready $$; read x <&3' & sh -c 'echo ready $$; read x <&3' & wait")
                .redirectErrorStream(true).start();
        return shell;
    }

    /** The pid from a child's {@code ready PID} line. */
    private static long readyPid(java.io.BufferedReader out) throws IOException {
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("ready "), "child reported: " + line);
        return Long.parseLong(line.substring("ready ".length()).strip());
    }

    @AfterEach
    void stopTree() throws InterruptedException {
        if (shell == null) return;
        shell.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
        shell.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void sumsTheWholeTreeOfAShellAndItsTwoChildren() throws Exception {
        Process p = startTree();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        long child1 = readyPid(out);
        long child2 = readyPid(out);

        ProcFs proc = new ProcFs();
        List<ProcStat> tree = proc.tree(p.pid());
        assertEquals(List.of(p.pid(), child1, child2).stream().sorted().toList(),
                tree.stream().map(ProcStat::pid).sorted().toList(), "the tree is the shell and its two child shells");

        ProcSampler sampler = new ProcSampler();

        ProcessTreeSample s = sampler.sample(p.pid());
        assertEquals(3, s.processes());
        assertEquals(3, s.threads(), "sh is single-threaded");
        assertTrue(s.openFds() >= 3 * 3, "each process holds at least stdin, stdout, stderr: " + s.openFds());
        ProcessTreeSample one = sampler.sample(child1);
        assertEquals(1, one.processes());
        assertTrue(one.rssBytes() > 0 && one.pssBytes() > 0, "a live shell has resident pages: " + one);
        long sum = 0;
        for (ProcStat st : tree) sum += proc.smapsRollup(st.pid()).rssBytes();
        // Each process's RSS is read separately, a moment apart; the blocked shells do not change
        // meanwhile except for the odd page, so allow 5 %.
        assertEquals(sum, s.rssBytes(), sum * 0.05, "the tree's RSS is the sum of its processes': " + s);
        // The child shells share their binary, libc and copy-on-write pages with the parent, so a
        // child's PSS is below its RSS, and the tree's PSS (shared pages split) below the tree's RSS.
        assertTrue(one.pssBytes() < one.rssBytes(), "shared pages are split in PSS: " + one);
        assertTrue(s.pssBytes() < s.rssBytes(), "tree PSS below tree RSS: " + s);
    }

    @Test
    void aChildThatExitsLeavesTheTreeAndAGoneRootGivesAnEmptySample() throws Exception {
        Process p = startTree();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        long child1 = readyPid(out);
        readyPid(out);
        ProcessHandle h = ProcessHandle.of(child1).orElseThrow();
        h.destroy();
        h.onExit().get(10, TimeUnit.SECONDS);
        // The shell's wait reaps the killed child; until then it is a zombie (no memory).
        ProcSampler sampler = new ProcSampler();
        ProcessTreeSample s = sampler.sample(p.pid());
        assertTrue(s.processes() == 2 || s.processes() == 3, "shell and the other child (plus a zombie not yet reaped): " + s);

        stopTree();
        assertEquals(ProcessTreeSample.GONE, sampler.sample(p.pid()), "a root that is gone samples as GONE");
        shell = null;
    }

    @Test
    void cpuTimeIncludesChildrenThatExitedAndWereReaped() throws Exception {
        // A child shell burns about 0.3 s of CPU and exits; the parent reaps it (the shell waits
        // for foreground commands), says "done" and blocks reading its stdin.
        shell = new ProcessBuilder("sh", "-c",
                "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'; echo done; read x")
                .redirectErrorStream(true).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(shell.getInputStream()));
        assertEquals("done", out.readLine());

        ProcessTreeSample s = new ProcSampler().sample(shell.pid());
        assertEquals(1, s.processes(), "only the parent is left");
        assertTrue(s.cpuMicros() >= 100_000, "the reaped child's CPU time is counted: " + s.cpuMicros() + " µs");
        long ownMicros = shell.toHandle().info().totalCpuDuration().orElseThrow().toNanos() / 1000;
        assertTrue(ownMicros < s.cpuMicros(), "the JDK's figure for the parent alone (" + ownMicros
                + " µs) leaves out the child; ours includes it (" + s.cpuMicros() + " µs)");
    }
}
