package echosuite.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One echo round trip over one loopback TCP connection, inside one process: the client (the
 * benchmark thread, a blocking socket) writes a {@value #MESSAGE_BYTES}-byte message and reads
 * it back from an echo side that runs as
 * <ul>
 *   <li>a blocking socket on a platform thread (the threaded server's loop, and the forking
 *       server's handler child's),</li>
 *   <li>a blocking socket on a virtual thread (the virtual-thread server: the read parks the
 *       virtual thread and the JDK's poller unparks it),</li>
 *   <li>a non-blocking socket in a selector loop (the selector server).</li>
 * </ul>
 * The echo side only echoes (no framing, no logging), so this is the floor every model pays
 * per message: two trips through the loopback stack and one wake-up of the echo side.
 *
 * <p>Measured: average nanoseconds per round trip. Expect tens of microseconds on a busy
 * two-core machine, with the three within a small factor of each other: the wake-up path
 * differs (futex, poller + carrier hand-off, epoll), the system calls do not.
 *
 * <p>Pitfalls avoided: {@code TCP_NODELAY} on both ends, otherwise Nagle's algorithm and delayed
 * ACKs can add tens of milliseconds that no server would pay for a whole message; the client
 * reads until the whole echo has arrived (one read may return part of it); the echoed last
 * byte is returned, so the read is not dead code; each echo side is its own {@code @State},
 * so a benchmark sets up only the side it measures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class LoopbackEchoRoundTrip {

    /** Bytes per message, {@code \n} included. */
    public static final int MESSAGE_BYTES = 64;

    /** The client's connection to an echo side that a subclass runs. */
    @State(Scope.Thread)
    public abstract static class Connection {
        private ServerSocketChannel listener;
        private SocketChannel client;
        private final ByteBuffer request = ByteBuffer.allocateDirect(MESSAGE_BYTES)
                .put(RecordHandoff.newRecord(MESSAGE_BYTES)).flip();
        private final ByteBuffer response = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        /** The first error of the echo side, reported by the tear-down. */
        volatile IOException echoFailure;

        @Setup
        public void connect() throws IOException {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(listener.getLocalAddress());
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketChannel accepted = listener.accept();
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            startEchoSide(accepted);
        }

        /** Starts echoing everything {@code accepted} receives until end-of-stream, then closes it. */
        abstract void startEchoSide(SocketChannel accepted) throws IOException;

        /** Waits for the echo side to end (the client has closed, so it sees end-of-stream). */
        abstract void awaitEchoSideEnd() throws InterruptedException;

        /** One round trip; returns the last byte echoed. */
        int roundTrip() throws IOException {
            request.rewind();
            while (request.hasRemaining()) client.write(request);
            response.clear();
            while (response.hasRemaining()) {
                if (client.read(response) < 0) throw new EOFException("the echo side closed the connection");
            }
            return response.get(MESSAGE_BYTES - 1);
        }

        @TearDown
        public void disconnect() throws IOException, InterruptedException {
            client.close();
            awaitEchoSideEnd();
            listener.close();
            if (echoFailure != null) throw new IOException("the echo side failed", echoFailure);
        }

        /** The blocking echo loop of a thread-per-connection server, without framing or logging. */
        void echoUntilEndOfStream(SocketChannel channel) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            try (channel) {
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) channel.write(buffer);
                    buffer.clear();
                }
            } catch (IOException e) {
                echoFailure = e;
            }
        }
    }

    public static class PlatformThreadEcho extends Connection {
        private Thread echo;

        @Override
        void startEchoSide(SocketChannel accepted) {
            echo = Thread.ofPlatform().name("echo-platform").daemon(true).start(() -> echoUntilEndOfStream(accepted));
        }

        @Override
        void awaitEchoSideEnd() throws InterruptedException {
            echo.join();
        }
    }

    public static class VirtualThreadEcho extends Connection {
        private Thread echo;

        @Override
        void startEchoSide(SocketChannel accepted) {
            echo = Thread.ofVirtual().name("echo-virtual").start(() -> echoUntilEndOfStream(accepted));
        }

        @Override
        void awaitEchoSideEnd() throws InterruptedException {
            echo.join();
        }
    }

    /** A one-connection reactor: read when readable, echo, and wait for writability only if the echo did not fit. */
    public static class SelectorLoopEcho extends Connection {
        private Thread loop;

        @Override
        void startEchoSide(SocketChannel accepted) throws IOException {
            accepted.configureBlocking(false);
            Selector selector = Selector.open();
            accepted.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(4096));
            loop = Thread.ofPlatform().name("echo-selector").daemon(true).start(() -> selectLoop(selector, accepted));
        }

        private void selectLoop(Selector selector, SocketChannel channel) {
            try (selector; channel) {
                while (channel.isOpen()) {
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        ByteBuffer buffer = (ByteBuffer) key.attachment();
                        if (key.isReadable()) {
                            if (channel.read(buffer) < 0) {
                                channel.close();
                                break;
                            }
                            buffer.flip();
                        }
                        channel.write(buffer);
                        if (buffer.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_WRITE);   // stop reading until the echo is out
                        } else {
                            buffer.clear();
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                echoFailure = e;
            }
        }

        @Override
        void awaitEchoSideEnd() throws InterruptedException {
            loop.join();
        }
    }

    @Benchmark
    public int blockingSocketOnPlatformThread(PlatformThreadEcho connection) throws IOException {
        return connection.roundTrip();
    }

    @Benchmark
    public int blockingSocketOnVirtualThread(VirtualThreadEcho connection) throws IOException {
        return connection.roundTrip();
    }

    @Benchmark
    public int selectorLoop(SelectorLoopEcho connection) throws IOException {
        return connection.roundTrip();
    }
}
