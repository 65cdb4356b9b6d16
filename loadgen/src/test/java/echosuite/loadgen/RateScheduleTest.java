package echosuite.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The intended send times of the rate scenario. */
class RateScheduleTest {

    @Test
    void aThreadsShareOfTheRateIsEvenlySpacedAndRoundRobin() {
        // 4 of 16 connections at 16,000 msgs/s: this thread sends 4,000/s, one every 250 µs.
        RateSchedule s = RateSchedule.of(1_000, 16_000, 4, 16);
        assertEquals(250_000.0, s.periodNs(), 1e-6);
        for (long m = 0; m < 1000; m++) {
            assertEquals(1_000 + m * 250_000, s.intendedTime(m));
            assertEquals((int) (m % 4), s.slotOf(m));
        }
    }

    @Test
    void eachConnectionSendsEveryNSlotsAndTheConnectionsAreStaggered() {
        RateSchedule s = RateSchedule.of(0, 1_000, 4, 4);       // 1 ms apart, 4 connections
        for (int slot = 0; slot < 4; slot++) {
            for (long seq = 0; seq < 100; seq++) {
                assertEquals((seq * 4 + slot) * 1_000_000L, s.intendedTime(slot, seq));
            }
        }
        assertEquals(4_000_000L, s.intendedTime(2, 1) - s.intendedTime(2, 0), "a connection's own period is n slots");
        assertEquals(1_000_000L, s.intendedTime(1, 0) - s.intendedTime(0, 0), "neighbours are one slot apart");
    }
}
