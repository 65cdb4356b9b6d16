package echosuite.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * Closed loop (pingpong, bulk): each connection keeps at most {@code window} messages in flight
 * and sends the next one as soon as an echo completes. With a window of 1 this is ping-pong:
 * send one message, await its complete echo, send the next. Latency: from the start of a
 * message's write to its complete echo. With {@code count > 0} the run ends after that many
 * messages in all, spread evenly over the connections. When a connection fails with messages in
 * flight, each is recorded with the wait it had reached ({@link IoThread#recordUnanswered}).
 */
final class ClosedLoop implements Workload {

    private final IoThread thread;
    private final int window;
    private final long count;
    private boolean started;

    private ClosedLoop(IoThread thread, int window, long count) {
        this.thread = thread;
        this.window = window;
        this.count = count;
    }

    /** @param count messages in all, 0 for as many as the duration allows */
    static Factory factory(int connections, int window, long count) {
        return Factory.of(connections, true, (thread, threads) -> new ClosedLoop(thread, window, count));
    }

    @Override
    public void start(long now) {
        started = true;
        Engine.Start s = thread.start();
        List<Connection> open = new ArrayList<>(thread.connections());
        long rank = s.rankOffset();
        for (Connection c : open) {
            long total = s.connectionsOpen();
            if (count > 0 && total > 0) {   // total 0: stopped (Ctrl-C) during the connect phase
                c.quota = count / total + (rank < count % total ? 1 : 0);
            }
            rank++;
        }
        for (Connection c : open) thread.flush(c);
    }

    @Override
    public long sendLimit(Connection c) {
        if (!started || thread.draining()) return c.sent;
        return Math.min(c.received + window, c.quota);
    }

    @Override
    public void onConnected(Connection c, long now) {
        thread.record(Metric.CONNECT, now, now - c.connectStartNs);
    }

    @Override
    public void onEcho(Connection c, long sequence, long sentAt, long now) {
        thread.record(Metric.LATENCY, now, now - sentAt);
    }

    @Override
    public boolean finished(Connection c) {
        return c.received >= c.quota;
    }

    @Override
    public void onClosed(Connection c, long now, boolean failed) {
        if (!failed) return;
        for (int i = 0; i < c.sendTimes.size(); i++) thread.recordUnanswered(now, now - c.sendTimes.get(i));
    }
}
