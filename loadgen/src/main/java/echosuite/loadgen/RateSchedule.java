package echosuite.loadgen;

/**
 * The intended send times of one I/O thread's share of a rate run. The thread's rate
 * {@code R_t} is one sequence of messages {@code m = 0, 1, 2, …} at {@code t0 + m / R_t}; message
 * {@code m} goes to the connection in slot {@code m mod n} as its sequence number
 * {@code m div n}. So each of the {@code n} connections sends every {@code n / R_t} seconds, and
 * the connections are staggered evenly rather than sending in bursts.
 *
 * @param t0       nanoTime of message 0
 * @param periodNs nanoseconds between two messages of this thread ({@code 1e9 / R_t})
 * @param slots    connections of this thread, at least 1
 */
record RateSchedule(long t0, double periodNs, int slots) {

    /** The schedule of a thread with {@code slots} of the {@code allConnections} connections of a run at {@code rate} msgs/s. */
    static RateSchedule of(long t0, double rate, int slots, long allConnections) {
        double threadRate = rate * slots / allConnections;
        return new RateSchedule(t0, 1e9 / threadRate, slots);
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
