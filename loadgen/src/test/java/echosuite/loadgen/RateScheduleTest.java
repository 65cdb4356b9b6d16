package echosuite.loadgen;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The intended send times of the rate scenario. */
class RateScheduleTest {

    @Test
    void aThreadsShareOfTheRateIsEvenlySpacedAndRoundRobin() {
        // 4 of 16 connections at 16,000 msgs/s: this thread sends 4,000/s, one every 250 µs.
        RateSchedule s = RateSchedule.of(1_000, 16_000, 4, 16, 0, 1);
        assertEquals(250_000.0, s.periodNs(), 1e-6);
        for (long m = 0; m < 1000; m++) {
            assertEquals(1_000 + m * 250_000, s.intendedTime(m));
            assertEquals((int) (m % 4), s.slotOf(m));
        }
    }

    @Test
    void eachConnectionSendsEveryNSlotsAndTheConnectionsAreStaggered() {
        RateSchedule s = RateSchedule.of(0, 1_000, 4, 4, 0, 1);     // 1 ms apart, 4 connections
        for (int slot = 0; slot < 4; slot++) {
            for (long seq = 0; seq < 100; seq++) {
                assertEquals((seq * 4 + slot) * 1_000_000L, s.intendedTime(slot, seq));
            }
        }
        assertEquals(4_000_000L, s.intendedTime(2, 1) - s.intendedTime(2, 0), "a connection's own period is n slots");
        assertEquals(1_000_000L, s.intendedTime(1, 0) - s.intendedTime(0, 0), "neighbours are one slot apart");
    }

    @Test
    void theThreadsPhasesInterleaveSoTheRunsMessagesAreEvenlySpaced() {
        // 3 threads of 4 connections each at 12,000 msgs/s: each thread every 250 µs; together every 83.3 µs.
        int threads = 3, perThread = 2_000;
        long[] all = new long[threads * perThread];
        for (int k = 0; k < threads; k++) {
            RateSchedule s = RateSchedule.of(5_000, 12_000, 4, 12, k, threads);
            for (int m = 0; m < perThread; m++) all[k * perThread + m] = s.intendedTime(m);
        }
        Arrays.sort(all);
        assertEquals(5_000, all[0], "the first thread starts at the start");
        for (int i = 1; i < all.length; i++) {
            assertEquals(1e9 / 12_000, all[i] - all[i - 1], 2.0, "gap before message " + i + " of the run");
        }
    }
}
