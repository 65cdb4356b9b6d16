package echosuite.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's memory figures on Linux: read, in KiB, the peak not below the present. */
class ProcessMemoryTest {

    @Test
    void residentMemoryIsKnownAndThePeakIsNotBelowIt() {
        long[] kib = ProcessMemory.rssKiB();
        long heapKiB = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
        // A JVM that has run JUnit has touched at least its used heap: KiB, not bytes or pages.
        assertTrue(kib[0] > heapKiB / 2, "VmRSS " + kib[0] + " KiB, used heap " + heapKiB + " KiB");
        assertTrue(kib[1] >= kib[0], "VmHWM " + kib[1] + " KiB >= VmRSS " + kib[0] + " KiB");
    }
}
