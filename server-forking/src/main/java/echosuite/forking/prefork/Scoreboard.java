package echosuite.forking.prefork;

import echosuite.forking.frames.SharedPage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * Prefork mode's shared state, named after Apache's: one page of memory (a memfd) that the parent
 * and every preforked child map, so that children, which accept by themselves, keep
 * {@code --max-connections} together, and the parent can see and repair what a killed child left.
 *
 * <pre>
 * long 0       connections being served now (all children)
 * long 1       connections refused (accepted over --max-connections and closed at once)
 * long 2..     one slot per child: 0 = free, else (pid &lt;&lt; 1) | busy
 * </pre>
 * All updates are atomic ({@link VarHandle} on the mapped page), so processes never lose each
 * other's counts. A child claims a free slot when it starts; the parent clears the slot of a
 * child it reaped and, if that child died busy, takes its connection off the count.
 */
public final class Scoreboard {

    static final long BYTES = SharedPage.BYTES;
    /** Children the page has slots for. */
    public static final int MAX_CHILDREN = (int) (BYTES / Long.BYTES) - 2;

    private static final int ACTIVE = 0;
    private static final int REFUSED = 1;
    private static final int FIRST_SLOT = 2;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer page;
    private int slot = -1;                       // this child's slot (children only)

    private Scoreboard(MappedByteBuffer page) {
        this.page = page;
    }

    /** Maps the page: {@code /proc/self/fd/6} in a child, {@code /proc/self/fd/N} in the parent. */
    public static Scoreboard map(Path file) throws IOException {
        return new Scoreboard(SharedPage.map(file));
    }

    // --- child side ----------------------------------------------------------------------------

    /** Claims a free slot for this child; false if there is none (more children than slots). */
    public boolean claimSlot(int pid) {
        for (int i = FIRST_SLOT; i < FIRST_SLOT + MAX_CHILDREN; i++) {
            if (LONGS.compareAndSet(page, i * Long.BYTES, 0L, (long) pid << 1)) {
                slot = i;
                return true;
            }
        }
        return false;
    }

    /**
     * A connection was accepted: returns true and counts it if fewer than {@code max} are being
     * served, else counts a refusal and returns false (the caller closes it). At the limit it
     * first waits up to {@code graceMillis} for a connection to end, because a client sees its
     * connection end (EOF) a moment before its child has taken it off the count.
     */
    public boolean tryEnter(int pid, long max, long graceMillis) throws InterruptedException {
        if (slot >= 0) LONGS.setVolatile(page, slot * Long.BYTES, ((long) pid << 1) | 1);   // busy first: see childEnded()
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        while (true) {
            long active = (long) LONGS.getVolatile(page, ACTIVE * Long.BYTES);
            if (active < max) {
                if (LONGS.compareAndSet(page, ACTIVE * Long.BYTES, active, active + 1)) return true;
                continue;
            }
            if (System.nanoTime() >= deadline) {
                if (slot >= 0) LONGS.setVolatile(page, slot * Long.BYTES, (long) pid << 1);
                LONGS.getAndAdd(page, REFUSED * Long.BYTES, 1L);
                return false;
            }
            // Other processes change the count; Java has no futex to wait on shared memory, so look again shortly.
            Thread.sleep(1);
        }
    }

    /** The connection ended. */
    public void leave(int pid) {
        LONGS.getAndAdd(page, ACTIVE * Long.BYTES, -1L);
        if (slot >= 0) LONGS.setVolatile(page, slot * Long.BYTES, (long) pid << 1);
    }

    // --- parent side ---------------------------------------------------------------------------

    /**
     * The parent reaped child {@code pid}: frees its slot, and if it died while serving, takes its
     * connection off the count. (If it died between marking itself busy and counting, the count
     * is one too low for a while: one connection too many may be served, never one too few.)
     */
    void childEnded(int pid) {
        for (int i = FIRST_SLOT; i < FIRST_SLOT + MAX_CHILDREN; i++) {
            long v = (long) LONGS.getVolatile(page, i * Long.BYTES);
            if (v != 0 && (v >>> 1) == pid) {
                if ((v & 1) != 0) LONGS.getAndAdd(page, ACTIVE * Long.BYTES, -1L);
                LONGS.setVolatile(page, i * Long.BYTES, 0L);
                return;
            }
        }
    }

    /** Children that have claimed a slot: started, and about to accept. */
    int claimedSlots() {
        int n = 0;
        for (int i = FIRST_SLOT; i < FIRST_SLOT + MAX_CHILDREN; i++) {
            if ((long) LONGS.getVolatile(page, i * Long.BYTES) != 0) n++;
        }
        return n;
    }

    /** Connections refused so far by all children. */
    long refused() {
        return (long) LONGS.getVolatile(page, REFUSED * Long.BYTES);
    }
}
