package echosuite.loadgen;

import java.util.Map;

/**
 * Connection churn: each of {@code loops} concurrent loops connects, sends {@code k} messages
 * ping-pong style, ends the connection politely (its end of stream, then the server's close),
 * and starts over. Measures the cost of a connection: {@link Metric#CONNECT} (connect to
 * established), {@link Metric#FIRST_ECHO} (connect to the first complete echo) and, as the main
 * latency, the whole session (connect to the server's close).
 */
final class Churn implements Workload {

    private final IoThread thread;
    private final int loops;
    private final int messagesPerSession;
    private long sessions;

    private Churn(IoThread thread, int loops, int messagesPerSession) {
        this.thread = thread;
        this.loops = loops;
        this.messagesPerSession = messagesPerSession;
    }

    static Factory factory(int loops, int messagesPerSession) {
        return Factory.of(0, (thread, threads) ->
                new Churn(thread, loops / threads + (thread.index < loops % threads ? 1 : 0), messagesPerSession));
    }

    @Override
    public void start(long now) {
        thread.requestOpen(loops);
    }

    @Override
    public long sendLimit(Connection c) {
        if (thread.draining()) return c.sent;
        return Math.min(c.received + 1, messagesPerSession);
    }

    @Override
    public void onConnected(Connection c, long now) {
        thread.record(Metric.CONNECT, now, now - c.connectStartNs);
    }

    @Override
    public void onEcho(Connection c, long sequence, long sentAt, long now) {
        if (sequence == 0) thread.record(Metric.FIRST_ECHO, now, now - c.connectStartNs);
    }

    @Override
    public boolean finished(Connection c) {
        return c.received >= messagesPerSession;
    }

    @Override
    public void onClosed(Connection c, long now, boolean failed) {
        if (!failed) {
            thread.record(Metric.LATENCY, now, now - c.connectStartNs);
            if (thread.inWindow(now)) sessions++;
        }
        if (!thread.draining()) thread.requestOpen(1);
    }

    @Override
    public void addCounts(Map<String, Long> into) {
        into.merge("sessions", sessions, Long::sum);
    }
}
