package echosuite.loadgen;

/**
 * The intended send times of one I/O thread's share of a rate run. The thread's rate
 * {@code R_t} is one sequence of messages {@code m = 0, 1, 2, …} at {@code t0 + m / R_t}; message
 * {@code m} goes to the connection in slot {@code m mod n} as its sequence number
 * {@code m div n}. So each of the {@code n} connections sends every {@code n / R_t} seconds, and
 * the connections are staggered evenly rather than sending in bursts.
 *
 * <p>Thread {@code k} of {@code T} starts {@code k / T} of its period after the run's start, so
 * that the threads' messages interleave: with equal shares the run's messages are exactly
 * {@code 1 / R} apart, not {@code T} at once every {@code T / R}.
 *
 * @param t0       nanoTime of message 0 (the run's start plus this thread's phase)
 * @param periodNs nanoseconds between two messages of this thread ({@code 1e9 / R_t})
 * @param slots    connections of this thread, at least 1
 */
record RateSchedule(long t0, double periodNs, int slots) {

    /**
     * The schedule of thread {@code threadIndex} of {@code threads}, with {@code slots} of the
     * {@code allConnections} connections of a run at {@code rate} msgs/s that starts at {@code start}.
     */
    static RateSchedule of(long start, double rate, int slots, long allConnections, int threadIndex, int threads) {
        double threadRate = rate * slots / allConnections;
        double periodNs = 1e9 / threadRate;
        return new RateSchedule(start + (long) (periodNs * threadIndex / threads), periodNs, slots);
    }

    /** The intended send time (nanoTime) of message {@code m}. */
    long intendedTime(long m) {
        return t0 + (long) (m * periodNs);
    }

    /** The intended send time of message {@code sequence} of the connection in {@code slot}. */
    long intendedTime(int slot, long sequence) {
        return intendedTime(sequence * slots + slot);
    }

    /** The slot of the connection that sends message {@code m}. */
    int slotOf(long m) {
        return (int) (m % slots);
    }
}
