package echosuite.harness;

import echosuite.cli.UsageError;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CPU lists in taskset's syntax: parsed, checked against the machine's CPUs, written back. */
class CpuListTest {

    private static final CpuList EIGHT = CpuList.parse("0-7", "test");

    @Test
    void tasksetsFormsAreRead() {
        assertEquals(List.of(0), CpuList.parse("0", "--server-cpus").cpus());
        assertEquals(List.of(0, 1, 2, 3), CpuList.parse("0-3", "--server-cpus").cpus());
        assertEquals(List.of(0, 2, 4), CpuList.parse("0,2,4", "--server-cpus").cpus());
        assertEquals(List.of(0, 1, 4, 5, 6), CpuList.parse(" 4-6,0-1,5 ", "--server-cpus").cpus(), "sorted, each once");
    }

    @Test
    void runsAreWrittenBackAsRanges() {
        assertEquals("0", CpuList.of(0).text());
        assertEquals("0-1", CpuList.of(1, 0).text());
        assertEquals("0-3,6", CpuList.of(0, 1, 2, 3, 6).text());
        assertEquals("0,2,4", CpuList.of(4, 2, 0).text());
        assertEquals("CPU 1", CpuList.of(1).words());
        assertEquals("CPUs 4-7", CpuList.of(4, 5, 6, 7).words());
    }

    @Test
    void firstFromWithoutAndShared() {
        CpuList l = CpuList.of(0, 2, 4, 6);
        assertEquals(CpuList.of(0, 2), l.first(2));
        assertEquals(l, l.first(9));
        assertEquals(CpuList.of(4, 6), l.from(2));
        assertTrue(l.from(4).isEmpty());
        assertEquals(CpuList.of(1, 3, 5, 7), EIGHT.without(l));
        assertEquals(CpuList.of(2), l.shared(CpuList.of(1, 2, 3)));
    }

    @Test
    void aBadListIsRefusedInOneSentence() {
        assertEquals("--server-cpus '0-x' is not a CPU list such as 0, 0-3 or 0,2,4.",
                assertThrows(UsageError.class, () -> CpuList.parse("0-x", "--server-cpus")).getMessage());
        assertEquals("--load-cpus '' is not a CPU list such as 0, 0-3 or 0,2,4.",
                assertThrows(UsageError.class, () -> CpuList.parse("", "--load-cpus")).getMessage());
        assertEquals("--server-cpus '3-1' has the range 3-1, which runs backwards; write 1-3.",
                assertThrows(UsageError.class, () -> CpuList.parse("3-1", "--server-cpus")).getMessage());
    }

    @Test
    void cpusTheMachineLacksAreRefusedWithItsCpus() {
        CpuList two = CpuList.of(0, 1);
        assertEquals("--server-cpus 0-3 names CPUs 2-3, which this machine does not offer (its CPUs: 0-1).",
                assertThrows(UsageError.class, () -> CpuList.parse("0-3", "--server-cpus", two)).getMessage());
        assertEquals("--load-cpus 1,5 names CPU 5, which this machine does not offer (its CPUs: 0-1).",
                assertThrows(UsageError.class, () -> CpuList.parse("1,5", "--load-cpus", two)).getMessage());
        assertEquals(CpuList.of(1), CpuList.parse("1", "--load-cpus", two));
    }

    @Test
    void theAllowedCpusAreThoseThisJvmSees() {
        // /proc/self/status's Cpus_allowed_list: as many CPUs as availableProcessors() counts, under any taskset.
        CpuList allowed = CpuList.allowed();
        assertFalse(allowed.isEmpty());
        assertEquals(Runtime.getRuntime().availableProcessors(), allowed.size());
    }
}
