package echosuite.forking.spares;

import echosuite.forking.HandlerProcess;
import echosuite.forking.Posix;
import echosuite.forking.frames.FrameWriter;
import echosuite.forking.frames.LoggerCounters;
import echosuite.runtime.BlockingConnection;
import echosuite.runtime.BurstReporter;
import echosuite.runtime.ServerCounters;

import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What "warm" means for a spare handler child: before it tells the parent it is ready, it runs
 * its own echo path, the same {@link BlockingConnection} and {@link FrameWriter} a client will
 * meet, over a loopback connection to itself, so that the JIT has compiled the loop before the
 * first client's byte arrives instead of while that client waits. The records of this
 * conversation go to {@code /dev/null}, never to the logger, and are counted in a page of the
 * spare's own ({@link LoggerCounters#unshared()}), never in the shared one: they are not a client's.
 *
 * <p>The work is bounded (a fixed number of 64-byte round trips, chosen by measurement: see
 * docs/models.md) and is paid while the child is idle, off every connection's path.
 */
public final class SpareWarmUp {

    private static final byte[] MESSAGE =
            "a 64-byte warm-up message, as the closed-loop benchmark sends..\n".getBytes(StandardCharsets.US_ASCII);

    private static final String[] INHERITED_CHANNEL_CLASSES =
            {"sun.nio.ch.InheritedChannel", "sun.nio.ch.InheritedChannel$InheritedSocketChannelImpl"};

    private SpareWarmUp() { }

    /**
     * Runs the hand-off once on itself, every C call of it (socketpair, sendmsg and recvmsg with
     * SCM_RIGHTS, dup2, close), and loads what {@link System#inheritedChannel()} needs: the first
     * call of each through FFM builds its method handle's code, which would otherwise fall
     * between a client's connect and its first echo (docs/models.md).
     */
    public static void handOffToSelf() throws IOException {
        // What System.inheritedChannel() will load and initialise for the client: now, while no
        // client waits (docs/models.md has what it took from the first echo).
        for (String name : INHERITED_CHANNEL_CLASSES) {
            try {
                Class.forName(name, true, null);
            } catch (ClassNotFoundException e) {
                // another JDK's internals: the first client pays for them instead
            }
        }
        int[] pair = Posix.socketPair();
        try {
            Posix.sendByte(pair[0], HandlerProcess.READY, pair[0]);
            int[] received = Posix.receiveByte(pair[1]);
            if (received == null || received[1] < 0) throw new IOException("the warm-up hand-off passed no descriptor");
            Posix.dup2(received[1], received[1]);
            Posix.close(received[1]);
        } finally {
            Posix.closeQuietly(pair[0]);
            Posix.closeQuietly(pair[1]);
        }
    }

    /** Echoes {@code messages} round trips through the handler's own loop; returns when that loop has ended. */
    public static void run(int messages, int maxLine, int pid) throws IOException, InterruptedException {
        if (messages <= 0) return;
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             FileOutputStream discard = new FileOutputStream("/dev/null")) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel served = listener.accept()) {
                BurstReporter quiet = BurstReporter.stderr("server-forking spare ".concat(Integer.toString(pid)));
                Thread loop = Thread.ofPlatform().name("warm-up").start(new BlockingConnection(
                        served, maxLine, 0, new FrameWriter(discard, pid, LoggerCounters.unshared()), new ServerCounters(), quiet, () -> { }));
                ByteBuffer out = ByteBuffer.wrap(MESSAGE);
                ByteBuffer in = ByteBuffer.allocate(MESSAGE.length);
                for (int i = 0; i < messages; i++) {
                    out.clear();
                    while (out.hasRemaining()) client.write(out);
                    in.clear();
                    while (in.hasRemaining()) {
                        if (client.read(in) < 0) throw new IOException("the warm-up loop closed its connection early");
                    }
                }
                client.shutdownOutput();
                while (client.read(in.clear()) >= 0) {
                    // until the loop has ended the connection, as it ends a client's
                }
                loop.join();
            }
        }
    }
}
