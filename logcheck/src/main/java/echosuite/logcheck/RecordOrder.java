package echosuite.logcheck;

import java.util.BitSet;

/**
 * Which of one connection's expected log records have been found so far, and the one rule both
 * log verifiers ({@link LogVerifier}, {@link SequencedLogVerifier}) use for order: a record is
 * <em>in order</em> when it is the connection's first record not yet found; any other record of
 * that connection, found earlier than a record sent before it, is <em>out of order</em>. Finding
 * a record twice is a duplicate (the verifiers count it as unexpected).
 *
 * <p>Records are numbered from 0 in the order they were sent. In-order logs cost one counter
 * per connection; a set of found records is kept only after the first out-of-order record.
 */
final class RecordOrder {

    /** First record index not yet found. */
    private int next;
    /** Records found beyond {@link #next}; null while the log has been in order. */
    private BitSet found;

    /** True if record {@code index} has been found already. */
    boolean isFound(int index) {
        return index < next || (found != null && found.get(index));
    }

    /**
     * Marks record {@code index} as found (it must not be found yet) and returns whether it was
     * in order, i.e. the first record of the connection not yet found.
     */
    boolean find(int index) {
        boolean inOrder = index == next;
        if (found == null && inOrder) {
            next++;
            return true;
        }
        if (found == null) found = new BitSet();
        found.set(index);
        next = found.nextClearBit(next);
        return inOrder;
    }

    /** The first record index at or after {@code from} not found yet. */
    int nextMissing(int from) {
        if (from < next) from = next;
        return found == null ? from : found.nextClearBit(from);
    }
}
