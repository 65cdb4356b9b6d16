package echosuite.loadgen;

import echosuite.protocol.SequencedMessage;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection's state, owned by one {@link IoThread}: the message being written, the
 * echo being checked, and the send times of the messages in flight.
 *
 * <p>Invariants: {@code received <= sent}; messages {@code received .. sent-1} are in flight and
 * {@link #sendTimes} holds their write start times in order; if {@link #writing}, message
 * {@code sent-1} is partly written and {@link #sendBuffer} holds its rest. The message buffers are
 * filled once ({@link SequencedMessage#fill}) and only their sequence digits change per message,
 * so sending and checking allocate nothing.
 */
final class Connection {

    enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    /** The id in every message header; unique within the run. */
    final long id;
    /** The workload's index for this connection (rate: its place in the schedule), or -1. */
    int slot = -1;
    /** Its index in the I/O thread's list of connections. */
    int listIndex;
    final SocketChannel channel;
    final int messageBytes;
    SelectionKey key;
    State state = State.CONNECTING;

    /** The message being (or last) written; its sequence digits are rewritten per message. */
    final byte[] sendMessage;
    final ByteBuffer sendBuffer;
    /** The message the next echo bytes must equal. */
    final byte[] expectedMessage;
    /** Nanotime at which each in-flight message's write started. */
    final LongRing sendTimes = new LongRing();

    /** Messages started (the next sequence number to send). */
    long sent;
    /** True while message {@code sent-1} is not completely written. */
    boolean writing;
    /** Messages whose echo is complete (the next sequence number to receive). */
    long received;
    /** Bytes of message {@code received} echoed so far. */
    int receivedBytes;
    /** Whether the echo of message {@code received} has differed so far. */
    boolean corrupt;

    /** Messages this connection may send in all (from {@code --count}); Long.MAX_VALUE if unbounded. */
    long quota = Long.MAX_VALUE;
    /** rate: messages whose intended send time has come. */
    long due;
    /** Open at the start of a run that waits for first echoes, and its first echo has not come yet. */
    boolean awaitingFirstEcho;
    /** hold: the connection whose latency is measured while the others are held. */
    boolean probe;

    long connectStartNs;
    long closeStartNs;
    /** Whether OP_WRITE is in the interest set (a write could not complete). */
    boolean writeInterest;

    Connection(long id, SocketChannel channel, int messageBytes) {
        this.id = id;
        this.channel = channel;
        this.messageBytes = messageBytes;
        this.sendMessage = new byte[messageBytes];
        this.expectedMessage = new byte[messageBytes];
        SequencedMessage.fill(sendMessage, messageBytes, id, 0);
        SequencedMessage.fill(expectedMessage, messageBytes, id, 0);
        this.sendBuffer = ByteBuffer.wrap(sendMessage);
    }

    /** Messages completely written. */
    long wholeMessagesWritten() {
        return writing ? sent - 1 : sent;
    }

    /** Bytes written so far. */
    long bytesWritten() {
        return wholeMessagesWritten() * messageBytes + (writing ? sendBuffer.position() : 0);
    }

    /** True when nothing is in flight or half-written. */
    boolean idle() {
        return !writing && received == sent;
    }
}
