package echosuite.loadgen;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes an I/O thread's selector at a given nanoTime, more precisely than
 * {@code Selector.select(ms)} can (its timeout is whole milliseconds, and a send that is up to a
 * millisecond late would count as latency in the rate scenario). A small platform thread parks
 * until the time ({@link LockSupport#parkNanos}, precise to the OS timer slack, about 50 µs on
 * Linux) and calls {@link Selector#wakeup()}. The alternative, polling the selector in a loop,
 * would keep a CPU busy that the server under test may need.
 *
 * <p>Used only by workloads with timed sends; the thread is started on first use. Thread-safe:
 * {@link #set}/{@link #clear} from the I/O thread, the rest on the alarm's own thread.
 */
final class SelectorAlarm implements Runnable {

    private final Selector selector;
    /** When to wake the selector (nanoTime); 0 = not armed. */
    private final AtomicLong wakeAt = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    SelectorAlarm(Selector selector, String name) {
        this.selector = selector;
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this);
    }

    /** Arms the alarm for {@code at} (nanoTime, not 0), replacing any earlier setting. */
    void set(long at) {
        long previous = wakeAt.getAndSet(at);
        if (previous == 0 || at < previous) LockSupport.unpark(thread);   // it may be parked for later
    }

    /** Disarms the alarm (the selector woke for another reason). */
    void clear() {
        wakeAt.set(0);
    }

    void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!closed) {
            long at = wakeAt.get();
            if (at == 0) {
                LockSupport.park(this);
                continue;
            }
            long gap = at - System.nanoTime();
            if (gap > 0) {
                LockSupport.parkNanos(this, gap);       // woken early by set(): look again
            } else if (wakeAt.compareAndSet(at, 0)) {
                selector.wakeup();
            }
        }
    }
}
