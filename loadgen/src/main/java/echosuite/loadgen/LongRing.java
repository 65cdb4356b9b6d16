package echosuite.loadgen;


/**
 * A FIFO of {@code long}s (send times of the messages in flight on one connection). It grows by
 * doubling when full and never shrinks, so after the first few messages it does not allocate.
 * Not thread-safe: owned by one I/O thread.
 */
final class LongRing {
    private long[] values = new long[4];
    private int head, size;

    void add(long v) {
        if (size == values.length) {
            long[] grown = new long[values.length * 2];
            for (int i = 0; i < size; i++) grown[i] = values[(head + i) % values.length];
            values = grown;
            head = 0;
        }
        values[(head + size) % values.length] = v;
        size++;
    }

    /** Removes and returns the oldest value; the ring must not be empty. */
    long poll() {
        if (size == 0) throw new IllegalStateException("empty");
        long v = values[head];
        head = (head + 1) % values.length;
        size--;
        return v;
    }

    /** The oldest value; the ring must not be empty. */
    long peek() {
        if (size == 0) throw new IllegalStateException("empty");
        return values[head];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The {@code i}-th oldest value, {@code 0 <= i < size()}. */
    long get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        return values[(head + i) % values.length];
    }
}
