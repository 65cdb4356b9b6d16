package echosuite.loadgen;

import java.util.Map;

/**
 * What a scenario does with its connections, for one {@link IoThread}: when a message may be
 * sent, what an echo means, when a connection is done. The I/O thread does the I/O, the echo
 * check and the bookkeeping; a workload decides. Called only from its I/O thread.
 */
interface Workload {

    /** Called once, when the run starts (every initial connection is open or failed). */
    void start(long now);

    /**
     * Messages connection {@code c} may have started by now: it may send sequence numbers below
     * this. Asked before every message is started.
     */
    long sendLimit(Connection c);

    /** Connection {@code c} has just been established at {@code now}. */
    default void onConnected(Connection c, long now) { }

    /** The echo of message {@code sequence} of {@code c}, written at {@code sentAt}, completed at {@code now}. */
    void onEcho(Connection c, long sequence, long sentAt, long now);

    /**
     * The time the echo of message {@code sequence} belongs to, which decides whether it counts in
     * the measured window's messages: when it arrived ({@code now}) unless the workload measures
     * from another instant (rate: the message's intended send time).
     */
    default long countedAt(Connection c, long sequence, long now) {
        return now;
    }

    /** True when idle connection {@code c} has nothing more to do and should be closed. */
    boolean finished(Connection c);

    /**
     * Connection {@code c} was closed at {@code now}: cleanly (the server closed after our end of
     * stream) or by an error ({@code failed}); then the messages it still awaited are given up
     * (see {@link IoThread#recordUnanswered}).
     */
    default void onClosed(Connection c, long now, boolean failed) { }

    /** Timed work (rate sends what has come due); returns the nanoTime of the next call it needs, or Long.MAX_VALUE. */
    default long tick(long now) {
        return Long.MAX_VALUE;
    }

    /** Adds the workload's own counts (summed over threads) to {@code into}, e.g. {@code sessions}. */
    default void addCounts(Map<String, Long> into) { }

    /** Makes a workload for each I/O thread; one per scenario run. */
    interface Factory {
        /** Connections to open (all threads together) before the run starts. */
        int initialConnections();

        /** The workload of I/O thread {@code thread}, one of {@code threads}. */
        Workload create(IoThread thread, int threads);

        /**
         * Whether the warm-up lasts until every connection open at the start has had its first
         * echo (connections opened once and then measured: pingpong, rate, bulk). Each such
         * connection must send its first message when the workload starts.
         */
        default boolean warmsUpToFirstEchoes() {
            return false;
        }

        /**
         * Whether the measured window opens only when a workload says it is ready
         * ({@link IoThread#readyToMeasure}; hold with two levels: once both have been held),
         * at least {@code --warmup} after the start and at the latest at {@code --warmup-limit}.
         */
        default boolean windowWaitsForWorkload() {
            return false;
        }

        /** A factory from the number of initial connections and a function (thread, threads) to a workload. */
        static Factory of(int initialConnections, java.util.function.BiFunction<IoThread, Integer, Workload> create) {
            return of(initialConnections, false, create);
        }

        /** The same, saying whether the warm-up lasts until every initial connection has had its first echo. */
        static Factory of(int initialConnections, boolean toFirstEchoes,
                          java.util.function.BiFunction<IoThread, Integer, Workload> create) {
            return new Factory() {
                @Override
                public int initialConnections() {
                    return initialConnections;
                }

                @Override
                public boolean warmsUpToFirstEchoes() {
                    return toFirstEchoes;
                }

                @Override
                public Workload create(IoThread thread, int threads) {
                    return create.apply(thread, threads);
                }
            };
        }
    }
}
