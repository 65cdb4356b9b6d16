package echosuite.loadgen;

import java.util.Map;

/**
 * Hold (the C10K question): open {@code held} connections, ramped at the connect rate, and count
 * one as established only when the echo of its first message has come back (a connection that
 * completed the TCP handshake but sits in a listen backlog, or with a server that never serves
 * it, is not established). While all are held idle, one more connection, the probe, plays
 * ping-pong, and its latency is the main metric. Connect latencies of the ramp are recorded as
 * measured.
 *
 * <p>With a first level ({@link HoldLevels}), the connections are opened in two steps: the first
 * level before the start line, the rest once it has been held for {@code --level-hold}; when
 * the rest are established or failed, they are all held for {@code --level-hold} too, and then
 * the measured window opens and the probe starts playing. Without one, the probe plays from the
 * start line, its latencies before the window being warm-up.
 */
final class Hold implements Workload {

    private final IoThread thread;
    private final HoldLevels levels;
    private boolean started, probing, restOpened, fullEnded;
    private Connection probe;
    private long established;
    /** Connections established and still open (the probe not counted). */
    private long held;
    /** Of this thread's share of the rest, connections not yet established or failed. */
    private long restPending;

    private Hold(IoThread thread, HoldLevels levels) {
        this.thread = thread;
        this.levels = levels;
    }

    static Factory factory(HoldLevels levels) {
        return new Factory() {
            @Override
            public int initialConnections() {
                return levels.initial() + 1;                     // and the probe
            }

            @Override
            public boolean windowWaitsForWorkload() {
                return levels.twoLevels();
            }

            @Override
            public Workload create(IoThread thread, int threads) {
                levels.threads(threads);
                return new Hold(thread, levels);
            }
        };
    }

    @Override
    public void start(long now) {
        started = true;
        levels.started(thread.start().t0());
        if (!levels.twoLevels()) startProbe();
    }

    private void startProbe() {
        probing = true;
        if (probe != null) thread.flush(probe);
    }

    @Override
    public long sendLimit(Connection c) {
        if (c.probe && probing && !thread.draining()) return c.received + 1;
        if (thread.draining()) return c.sent;
        return 1;                                        // the message that proves the connection is served; then idle
    }

    @Override
    public long tick(long now) {
        if (thread.draining()) return Long.MAX_VALUE;   // a run stopped early reports no level it cut short
        boolean windowFixed = thread.endTime() != Long.MAX_VALUE;
        if (!levels.twoLevels()) {
            if (!fullEnded && now >= thread.endTime()) {
                fullEnded = true;
                levels.windowEnded(held, thread.endTime());
            }
            return Long.MAX_VALUE;
        }
        if (!restOpened && !windowFixed && now >= levels.firstEnds()) openRest(now);
        // The full level's hold ends on time, or when the warm-up limit has opened the window first.
        if (restOpened && !fullEnded && (now >= levels.fullEnds() || windowFixed)) {
            fullEnded = true;
            levels.fullEnded(held, now < levels.fullEnds(), now);
            thread.readyToMeasure();
        }
        if (!probing && windowFixed) startProbe();
        return restOpened ? levels.fullEnds() : levels.firstEnds();
    }

    private void openRest(long now) {
        restOpened = true;
        levels.firstEnded(held);
        restPending = levels.rest(thread.index);
        thread.requestOpen((int) restPending);
        if (restPending == 0) levels.shareReached(now);
    }

    /** A connection opened after the start line (one of the rest) is established or failed. */
    private void oneOfTheRest(long now) {
        if (--restPending == 0) levels.shareReached(now);
    }

    @Override
    public void onConnected(Connection c, long now) {
        thread.recordMeasured(Metric.CONNECT, now - c.connectStartNs);
        if (thread.index == 0 && probe == null && !started) {
            c.probe = true;
            probe = c;
        }
    }

    @Override
    public void onEcho(Connection c, long sequence, long sentAt, long now) {
        if (sequence == 0 && !c.probe) {
            established++;
            held++;
            if (started) oneOfTheRest(now);
        }
        if (c.probe && probing) thread.record(Metric.LATENCY, now, now - sentAt);
    }

    @Override
    public boolean finished(Connection c) {
        return false;
    }

    @Override
    public void onClosed(Connection c, long now, boolean failed) {
        if (c == probe) probe = null;
        else if (c.received > 0) held--;
        else if (started) oneOfTheRest(now);
    }

    @Override
    public void addCounts(Map<String, Long> into) {
        into.merge("established", established, Long::sum);
    }
}
