package echosuite.runtime;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open client connections of a thread-per-client server: enforces
 * {@code --max-connections} and lets a graceful shutdown end them all and wait for them.
 * Thread-safe; uses a {@link ReentrantLock}, never {@code synchronized}, so virtual threads
 * that wait here do not pin their carrier.
 */
public final class ConnectionRegistry {

    private final int maxConnections;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition emptied = lock.newCondition();
    private int count;   // guarded by lock; equals open.size() once add/remove return

    public ConnectionRegistry(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Registers a new connection; {@code false} if that would exceed the limit. */
    public boolean tryAdd(SocketChannel channel) {
        lock.lock();
        try {
            if (count >= maxConnections) return false;
            count++;
            open.add(channel);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Unregisters a connection that has ended (idempotent per channel). */
    public void remove(SocketChannel channel) {
        lock.lock();
        try {
            if (open.remove(channel)) {
                count--;
                if (count == 0) emptied.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes every connection's blocked read return EOF, as if each client had half-closed. */
    public void shutdownInputs() {
        for (SocketChannel ch : open) {
            try {
                ch.shutdownInput();
            } catch (IOException ignored) {
                // already closed or reset: its thread is ending anyway
            }
        }
    }

    /** Closes every connection still open (a writer blocked on a non-reading client gets an error). */
    public void closeAll() {
        for (SocketChannel ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is best effort here; the thread still removes it
            }
        }
    }

    /** Waits until no connection is registered or {@code deadline} passes; true if empty. */
    public boolean awaitEmpty(Instant deadline) throws InterruptedException {
        lock.lock();
        try {
            while (count > 0) {
                long nanos = java.time.Duration.between(Instant.now(), deadline).toNanos();
                if (nanos <= 0) return false;
                emptied.await(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
