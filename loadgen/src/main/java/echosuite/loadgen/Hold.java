package echosuite.loadgen;

import java.util.Map;

/**
 * Hold (the C10K question): open {@code held} connections, ramped at the connect rate, and count
 * one as established only when the echo of its first message has come back (a connection that
 * completed the TCP handshake but sits in a listen backlog, or with a server that never serves
 * it, is not established). While all are held idle, one more connection, the probe, plays
 * ping-pong, and its latency is the main metric. Connect latencies of the ramp are recorded as
 * measured.
 */
final class Hold implements Workload {

    private final IoThread thread;
    private boolean started;
    private Connection probe;
    private long established;

    private Hold(IoThread thread) {
        this.thread = thread;
    }

    static Factory factory(int held) {
        return Factory.of(held + 1, (thread, threads) -> new Hold(thread));   // and the probe
    }

    @Override
    public void start(long now) {
        started = true;
        if (probe != null) thread.flush(probe);
    }

    @Override
    public long sendLimit(Connection c) {
        if (!started) return 1;                          // the message that proves the connection is served
        if (c.probe && !thread.draining()) return c.received + 1;
        return c.sent;                                   // held: idle
    }

    @Override
    public void onConnected(Connection c, long now) {
        thread.recordMeasured(Metric.CONNECT, now - c.connectStartNs);
        if (thread.index == 0 && probe == null) {
            c.probe = true;
            probe = c;
        }
    }

    @Override
    public void onEcho(Connection c, long sequence, long sentAt, long now) {
        if (sequence == 0 && !c.probe) established++;
        if (c.probe && started) thread.record(Metric.LATENCY, now, now - sentAt);
    }

    @Override
    public boolean finished(Connection c) {
        return false;
    }

    @Override
    public void onClosed(Connection c, long now, boolean failed) {
        if (c == probe) probe = null;
    }

    @Override
    public void addCounts(Map<String, Long> into) {
        into.merge("established", established, Long::sum);
    }
}
