package echosuite.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Open loop (rate): messages are due at fixed intended times, whatever the server does, at a
 * total rate spread evenly over the connections, and each message's latency is measured from its
 * <em>intended</em> send time (as wrk2 does). If the server stalls, the messages that should have
 * gone out meanwhile are counted with the time they waited to be sent: coordinated omission is
 * corrected. The service time (from the actual start of the write) is recorded beside it, as
 * {@link Metric#SERVICE}.
 *
 * <p>The intended times are a {@link RateSchedule}. A connection has at most {@code pipeline}
 * messages in flight; messages due beyond that wait, and their wait counts.
 * Messages are recorded, and counted in the run's messages (so in msgs/s), by their intended
 * time: those intended inside the measured window count, even when they complete during the
 * drain, and those intended before it do not, even when they complete inside it. So msgs/s is
 * the rate the server kept up with, not the rate at which a backlog drained.
 *
 * <p>When a connection fails (times out, is reset), every message it had come due for and not
 * had answered, in flight or still waiting to be sent, is recorded with the wait it had reached
 * ({@link IoThread#recordUnanswered}), as wrk2 does: its latency is at least that.
 *
 * <p>Each connection's first message (sequence 0) goes out at the start, outside the schedule: its
 * echo is the connection's first echo, which the warm-up waits for, so that a connection with a
 * late first intended time does not hold the window. It has no intended time and is not measured.
 * The schedule runs unbroken from t0, so no intended time moves when the window opens later.
 */
final class OpenLoop implements Workload {

    private final IoThread thread;
    private final double rate;
    private final int pipeline;
    /** This thread's place among the run's I/O threads: the phase of its schedule. */
    private final int threadIndex, threads;
    /** This load generator's place among several agents ({@code --agent}): its schedule starts this much after t0. */
    private final long agentPhaseNs;
    private Connection[] slots = new Connection[0];
    private RateSchedule schedule;
    /** The next message index of this thread's schedule. */
    private long next;
    /** Messages that came due on a connection that had failed: never sent, never measured. */
    private long notSent;

    OpenLoop(IoThread thread, int threads, double rate, int pipeline, long agentPhaseNs) {
        this.thread = thread;
        this.agentPhaseNs = agentPhaseNs;
        this.threadIndex = thread.index;
        this.threads = threads;
        this.rate = rate;
        this.pipeline = pipeline;
    }

    /** @param rate messages per second, all connections together */
    static Factory factory(int connections, double rate, int pipeline) {
        return factory(connections, rate, pipeline, 0);
    }

    /**
     * @param rate         messages per second, all connections of this generator together
     * @param agentPhaseNs agent I of N at a total rate R: (I-1)/R s, so that the agents' messages interleave
     *                     as one generator's would (given a common t0)
     */
    static Factory factory(int connections, double rate, int pipeline, long agentPhaseNs) {
        return Factory.of(connections, true, (thread, threads) -> new OpenLoop(thread, threads, rate, pipeline, agentPhaseNs));
    }

    @Override
    public void start(long now) {
        Engine.Start s = thread.start();
        List<Connection> open = new ArrayList<>(thread.connections());
        slots = open.toArray(new Connection[0]);
        for (int i = 0; i < slots.length; i++) slots[i].slot = i;
        if (slots.length == 0) return;
        schedule = RateSchedule.of(s.t0() + agentPhaseNs, rate, slots.length, s.connectionsOpen(), threadIndex, threads);
        for (Connection c : slots) thread.flush(c);   // the first-echo message
    }

    @Override
    public long tick(long now) {
        if (slots.length == 0) return Long.MAX_VALUE;
        while (true) {
            long at = schedule.intendedTime(next);
            if (at >= thread.endTime()) return Long.MAX_VALUE;
            if (at > now) return at;
            Connection c = slots[schedule.slotOf(next)];
            next++;
            if (c.state == Connection.State.OPEN) {
                c.due++;
                thread.flush(c);
            } else {
                notSent++;
            }
        }
    }

    @Override
    public long sendLimit(Connection c) {
        if (c.slot < 0) return 0;                            // not yet started: nothing before the start line
        return Math.min(1 + c.due, c.received + pipeline);
    }

    @Override
    public void onConnected(Connection c, long now) {
        thread.record(Metric.CONNECT, now, now - c.connectStartNs);
    }

    @Override
    public long countedAt(Connection c, long sequence, long now) {
        return sequence == 0 ? Long.MIN_VALUE : intendedTime(c, sequence);   // the first-echo message: never in the window
    }

    @Override
    public void onEcho(Connection c, long sequence, long sentAt, long now) {
        if (sequence == 0) return;                           // the first-echo message: not scheduled
        long intended = intendedTime(c, sequence);
        thread.record(Metric.LATENCY, intended, now - intended);
        thread.record(Metric.SERVICE, intended, now - sentAt);
    }

    /** The intended send time of message {@code sequence >= 1} of {@code c} (sequence 0 is the unscheduled first-echo message). */
    private long intendedTime(Connection c, long sequence) {
        return schedule.intendedTime(c.slot, sequence - 1);
    }

    @Override
    public boolean finished(Connection c) {
        return false;   // runs until the end of the window; the drain then sends what is still due
    }

    @Override
    public void onClosed(Connection c, long now, boolean failed) {
        if (!failed || c.slot < 0) return;
        notSent += c.due - Math.max(0, c.sent - 1);
        // Sequences 1 .. due came due; those from the first unanswered one on are given up.
        for (long sequence = Math.max(1, c.received); sequence <= c.due; sequence++) {
            long intended = intendedTime(c, sequence);
            thread.recordUnanswered(intended, now - intended);
        }
    }

    @Override
    public void addCounts(Map<String, Long> into) {
        into.merge("messagesNotSent", notSent, Long::sum);
    }
}
