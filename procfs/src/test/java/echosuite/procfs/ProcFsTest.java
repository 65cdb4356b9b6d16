package echosuite.procfs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader against this test JVM and a child it starts before each test and kills by pid
 * after it: {@code cat}, blocked reading its stdin. Each test starts reading only once the child
 * has echoed a first line, so its start-up (the dynamic loader and the locale files it opens and
 * closes again) is over and nothing it does can race with a reading.
 */
class ProcFsTest {

    private final ProcFs proc = new ProcFs();
    private final long self = ProcessHandle.current().pid();
    private Process child;

    @BeforeEach
    void startChild() throws IOException {
        child = new ProcessBuilder("cat").start();
        child.getOutputStream().write("ready\n".getBytes(StandardCharsets.US_ASCII));
        child.getOutputStream().flush();
        byte[] echo = child.getInputStream().readNBytes(6);
        assertEquals("ready\n", new String(echo, StandardCharsets.US_ASCII), "cat echoes its first line");
    }

    @AfterEach
    void stopChild() throws InterruptedException {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void theTreeOfThisJvmHoldsItsChildAndTheChildsOwnTreeIsItself() {
        List<ProcStat> tree = proc.tree(self);
        assertEquals(self, tree.getFirst().pid(), "the root comes first");
        assertTrue(tree.stream().anyMatch(s -> s.pid() == child.pid()), "the child is in the tree: " + tree);
        assertTrue(proc.children(self).stream().anyMatch(s -> s.pid() == child.pid()), "and among the children");
        assertEquals(List.of(child.pid()), proc.tree(child.pid()).stream().map(ProcStat::pid).toList(),
                "cat has no children");
    }

    @Test
    void theChildsStatNamesItsParentAndOneSleepingThread() throws IOException {
        ProcStat s = proc.stat(child.pid());
        assertEquals(child.pid(), s.pid());
        assertEquals(self, s.ppid());
        assertEquals(1, s.threads(), "cat is single-threaded");
        assertFalse(s.zombie());
        assertTrue(proc.stat(self).threads() > 1, "a JVM runs several threads");
        assertEquals(1, proc.status(child.pid()).threads(), "status agrees with stat");
    }

    @Test
    void descriptorsAreCountedAndTheirTargetsRead() throws IOException {
        int count = proc.fdCount(child.pid());
        List<String> targets = proc.fdTargets(child.pid());
        // stdin, stdout and stderr are the pipes ProcessBuilder made.
        assertTrue(count >= 3, "cat holds at least stdin, stdout, stderr: " + count);
        assertEquals(count, targets.size(), "cat opens nothing meanwhile: " + targets);
        assertTrue(targets.stream().filter(t -> t.startsWith("pipe:[")).count() >= 3, "its std streams are pipes: " + targets);
        assertTrue(proc.fdTarget(child.pid(), 0).startsWith("pipe:["), "one descriptor's target: its stdin");
        assertTrue(targets.contains(proc.fdTarget(child.pid(), 2)), "is one of the listed targets");
        assertTrue(proc.fdCount(self) > 3, "this JVM holds its jars and more");
    }

    @Test
    void memoryIsResidentAndPssNeverAboveRss() throws IOException {
        for (long pid : new long[] {self, child.pid()}) {
            SmapsRollup m = proc.smapsRollup(pid);
            assertTrue(m.rssBytes() > 0 && m.rssBytes() % 1024 == 0, pid + ": " + m);
            assertTrue(m.pssBytes() > 0 && m.pssBytes() <= m.rssBytes(), pid + ": " + m);
            ProcStatus st = proc.status(pid);
            assertTrue(st.vmRssBytes() > 0 && st.vmHwmBytes() >= st.vmRssBytes(), pid + ": " + st);
        }
        // cat shares libc's pages with this JVM (and every other process), so PSS splits them.
        SmapsRollup rollup = proc.smapsRollup(child.pid());
        assertTrue(rollup.pssBytes() < rollup.rssBytes(), "shared pages are split in PSS: " + rollup);
    }

    @Test
    void cmdlineAndEnvironmentAreTheOnesTheChildWasStartedWith() throws Exception {
        assertEquals(List.of("cat"), proc.cmdline(child.pid()));
        ProcessBuilder b = new ProcessBuilder("sleep", "600");
        b.environment().clear();
        b.environment().put("ECHOSUITE_PROCFS_TEST", "a b=c");
        Process p = b.start();
        try {
            assertEquals(List.of("ECHOSUITE_PROCFS_TEST=a b=c"), proc.environment(p.pid()));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void cpuTimeInMicrosAgreesWithTheJdksReadingOfTheSameCounters() throws IOException {
        // The JDK reads utime + stime of /proc/self/stat too, converted with sysconf(_SC_CLK_TCK):
        // bracketing our reading between two of its own checks the conversion, not the clock.
        long before = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1000;
        long ours = proc.stat(self).cpuMicros();
        long after = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1000;
        assertTrue(before > 0 && before <= ours && ours <= after, before + " <= " + ours + " <= " + after + " µs");
        ProcStat once = proc.stat(self);
        assertTrue(once.cpuMicrosWithReapedChildren() >= once.cpuMicros(), once.toString());
    }

    @Test
    void userHzIsWhatGetconfReports() throws Exception {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, getconf.waitFor());
        assertEquals(Integer.toString(ProcFs.USER_HZ), out);
    }

    @Test
    void aGoneProcessReadsAsNoSuchFileAndLeavesTheTree() throws Exception {
        long pid = child.pid();
        child.destroyForcibly();
        child.waitFor();   // reaped: its /proc entry is gone
        assertThrows(NoSuchFileException.class, () -> proc.stat(pid));
        assertThrows(NoSuchFileException.class, () -> proc.smapsRollup(pid));
        assertThrows(NoSuchFileException.class, () -> proc.fdCount(pid));
        assertTrue(proc.tree(pid).isEmpty());
        assertTrue(proc.tree(self).stream().noneMatch(s -> s.pid() == pid));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat s = ProcStat.parse("42 (a) b (c) S 7 42 42 0 -1 4194560 100 0 0 0 250 30 4 6 20 0 3 0 12345 1000 200");
        assertEquals(new ProcStat(42, 7, 'S', 250, 30, 4, 6, 3), s);
        assertEquals(2_800_000, s.cpuMicros(), "280 ticks of 10 ms");
        assertEquals(2_900_000, s.cpuMicrosWithReapedChildren());
    }
}
