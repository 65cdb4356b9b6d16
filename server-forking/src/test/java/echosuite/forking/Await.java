package echosuite.forking;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits for a condition another process brings about (a child reaped, a logger restarted),
 * which this JVM cannot be notified of: checks it every {@value #POLL_MILLIS} ms until it holds
 * or {@code limit} passes. The condition is the synchronisation; the pause only paces the checks.
 */
final class Await {

    static final long POLL_MILLIS = 20;

    private Await() { }

    static void until(String what, Duration limit, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) fail("timed out after " + limit + " waiting until " + what);
            Thread.sleep(POLL_MILLIS);
        }
    }
}
