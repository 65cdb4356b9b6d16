package echosuite.forking;

/**
 * When a child the parent keeps alive (the logger, a preforked handler) dies, a new one is
 * started at once; but if it died within {@value #QUICK_DEATH_MILLIS} ms of its own start (it
 * cannot start: a missing log directory, no more processes), the new one is started only once
 * that much time has passed since, so a child that keeps failing never makes the parent spin.
 */
public final class RestartBackoff {

    static final long QUICK_DEATH_MILLIS = 1000;

    private RestartBackoff() { }

    /** Runs {@code restart} now, or on a virtual thread once the child that died would have lived {@value #QUICK_DEATH_MILLIS} ms. */
    public static void restart(long startedMillis, Runnable restart) {
        long lived = System.currentTimeMillis() - startedMillis;
        if (lived >= QUICK_DEATH_MILLIS) {
            restart.run();
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(QUICK_DEATH_MILLIS - lived);   // back-off before a retry, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
            restart.run();
        });
    }
}
