package echosuite.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The /proc sampler against a process tree whose shape we know: a shell with two {@code sleep}
 * children. Synchronised on the tree being complete (each child's pid is printed by the shell
 * once it has started it), stopped by pid.
 */
class ProcSamplerTest {

    private Process shell;

    /** sh starting two sleeps, printing their pids, then waiting for them. */
    private Process startTree() throws IOException {
        shell = new ProcessBuilder("sh", "-c", "sleep 300 & echo $!; sleep 300 & echo $!; wait")
                .redirectErrorStream(true).start();
        return shell;
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
        long child1 = Long.parseLong(out.readLine().strip());
        long child2 = Long.parseLong(out.readLine().strip());

        ProcSampler sampler = new ProcSampler();
        List<ProcSampler.Stat> tree = sampler.tree(p.pid());
        assertEquals(List.of(p.pid(), child1, child2).stream().sorted().toList(),
                tree.stream().map(ProcSampler.Stat::pid).sorted().toList(), "the tree is the shell and its two sleeps");

        ProcessTreeSample s = sampler.sample(p.pid());
        assertEquals(3, s.processes());
        assertEquals(3, s.threads(), "sh and sleep are single-threaded");
        assertTrue(s.openFds() >= 3 * 3, "each process holds at least stdin, stdout, stderr: " + s.openFds());
        ProcessTreeSample one = sampler.sample(child1);
        assertEquals(1, one.processes());
        assertTrue(one.rssBytes() > 0 && one.pssBytes() > 0, "a live sleep has resident pages: " + one);
        assertTrue(s.rssBytes() >= 3 * Math.min(one.rssBytes(), sampler.sample(child2).rssBytes()),
                "the tree's RSS sums its processes: " + s);
        // sleep shares its libc and binary pages with the other sleep, so its PSS is below its RSS,
        // and the tree's PSS (shared pages split, not repeated) is below the tree's RSS.
        assertTrue(one.pssBytes() < one.rssBytes(), "shared pages are split in PSS: " + one);
        assertTrue(s.pssBytes() < s.rssBytes(), "tree PSS below tree RSS: " + s);
    }

    @Test
    void aChildThatExitsLeavesTheTreeAndAGoneRootGivesAnEmptySample() throws Exception {
        Process p = startTree();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        long child1 = Long.parseLong(out.readLine().strip());
        out.readLine();
        ProcessHandle h = ProcessHandle.of(child1).orElseThrow();
        h.destroy();
        h.onExit().get(10, TimeUnit.SECONDS);
        // The shell's wait reaps the killed child; a zombie has no memory and is not counted then.
        ProcSampler sampler = new ProcSampler();
        ProcessTreeSample s = sampler.sample(p.pid());
        assertTrue(s.processes() == 2 || s.processes() == 3, "shell and the other sleep (plus a zombie not yet reaped): " + s);

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
        assertEquals(0, s.cpuMicros() % 10_000, "CPU time comes in clock ticks of 10 ms");
        long ownMicros = shell.toHandle().info().totalCpuDuration().orElseThrow().toNanos() / 1000;
        assertTrue(ownMicros < s.cpuMicros(), "the JDK's figure for the parent alone (" + ownMicros
                + " µs) leaves out the child; ours includes it (" + s.cpuMicros() + " µs)");
    }
}
