package echosuite.harness;

import echosuite.cli.UsageError;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where server and load generator run: the defaults, the options, their refusals, the words recorded. */
class PlacementTest {

    private static final String TASKSET = "/usr/bin/taskset";

    private static CpuList cpus(int n) {
        return CpuList.parse("0-" + (n - 1), "test");
    }

    @Test
    void onTwoCpusTheDefaultIsTheOldPinningWordForWord() {
        Placement p = Placement.choose(null, null, false, cpus(2), true);
        assertEquals("0", p.serverCpus(0).text(), "the server on CPU 0, as before the options");
        assertEquals(List.of(TASKSET, "-c", "1"), p.loadPrefix());
        assertEquals("server on CPU 0, load generator on CPU 1 (taskset)", p.words(), "machine.json's pinning as before");
        assertEquals(1, p.serverCpuCount());
        assertNull(p.warning());
    }

    @Test
    void theDefaultSplitsTheMachineInTwoTheServerTakingTheSmallerHalf() {
        Placement eight = Placement.choose(null, null, false, cpus(8), true);
        assertEquals(CpuList.of(0, 1, 2, 3), eight.server());
        assertEquals(CpuList.of(4, 5, 6, 7), eight.load());
        assertEquals("server on CPUs 0-3, load generator on CPUs 4-7 (taskset)", eight.words());
        assertEquals("0-1", eight.serverCpus(2).text(), "a scaling step: the first 2 of its CPUs");
        Placement three = Placement.choose(null, null, false, cpus(3), true);
        assertEquals(CpuList.of(0), three.server());
        assertEquals(CpuList.of(1, 2), three.load());
        Placement odd = Placement.choose(null, null, false, CpuList.of(2, 3, 6, 7), true);
        assertEquals("server on CPUs 2-3, load generator on CPUs 6-7 (taskset)", odd.words(), "the CPUs the harness may use, not 0..n-1");
    }

    @Test
    void oneCpuNoPinOrNoTasksetIsNotPinnedWithTheReason() {
        Placement one = Placement.choose(null, null, false, cpus(1), true);
        assertFalse(one.pinned());
        assertEquals("not pinned (only 1 CPU)", one.words());
        assertEquals(null, one.serverCpus(0));
        assertEquals(List.of(), one.loadPrefix());
        assertEquals(0, one.serverCpuCount());
        assertEquals("not pinned (--no-pin)", Placement.choose(null, null, true, cpus(4), true).words());
        assertEquals("not pinned (no /usr/bin/taskset)", Placement.choose(null, null, false, cpus(4), false).words());
    }

    @Test
    void oneListGivenTheOtherTakesTheRest() {
        Placement p = Placement.choose("0-1", null, false, cpus(4), true);
        assertEquals(CpuList.of(2, 3), p.load());
        Placement q = Placement.choose(null, "3", false, cpus(4), true);
        assertEquals(CpuList.of(0, 1, 2), q.server());
        assertEquals("0-2", q.serverCpus(0).text());
        assertEquals(List.of(TASKSET, "-c", "3"), q.loadPrefix());
    }

    @Test
    void overlappingListsAreAllowedAndWarnedOf() {
        Placement p = Placement.choose("0-1", "1", false, cpus(2), true);
        assertEquals(2, p.serverCpuCount());
        assertEquals(CpuList.of(1), p.shared());
        assertEquals("server on CPUs 0-1, load generator on CPU 1 (taskset); they share CPU 1", p.words());
        assertEquals("warning: the server and the load generator share CPU 1, so the load takes CPU time from the server it measures.",
                p.warning());
    }

    @Test
    void whatCannotBeHonouredIsRefusedInOneSentence() {
        assertEquals("--no-pin cannot be combined with --server-cpus or --load-cpus.", refusal("0", null, true, true));
        assertEquals("--server-cpus 0-1 leaves no CPU for the load generator; give --load-cpus as well (it may share the server's).",
                refusal("0-1", null, false, true));
        assertEquals("--load-cpus 0-1 leaves no CPU for the server; give --server-cpus as well (it may share the load's).",
                refusal(null, "0-1", false, true));
        assertEquals("--server-cpus needs taskset, and this machine has no /usr/bin/taskset.", refusal("0", "1", false, false));
        assertEquals("--server-cpus 2 names CPU 2, which this machine does not offer (its CPUs: 0-1).", refusal("2", "1", false, true));
        assertTrue(refusal("0", "1-", false, true).startsWith("--load-cpus '1-' is not a CPU list"));
    }

    private static String refusal(String server, String load, boolean noPin, boolean taskset) {
        return assertThrows(UsageError.class, () -> Placement.choose(server, load, noPin, cpus(2), taskset)).getMessage();
    }
}
