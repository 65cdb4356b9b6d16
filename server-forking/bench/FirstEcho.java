import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * Connect-to-first-echo time, the forking model's price per connection: N connections one
 * after another, each timed from just before {@code connect()} until the first echo byte of a
 * 64-byte message is read; then the client half-closes and reads to EOF, so the next
 * connection starts only after the previous child finished its connection.
 *
 *   java FirstEcho.java PORT [COUNT=200] [LABEL] [GAP_MS=0]
 *
 * GAP_MS: a pause between one connection's end and the next connect (the "100 ms
 * apart"), so that a server keeping warm spares has the time to start a replacement.
 *
 * Prints one line: label, count, p50, p90, p99, max in milliseconds.
 */
public class FirstEcho {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String label = args.length > 2 ? args[2] : "";
        long gapMillis = args.length > 3 ? Long.parseLong(args[3]) : 0;
        byte[] message = ("x".repeat(63) + "\n").getBytes();
        double[] millis = new double[count];
        ByteBuffer in = ByteBuffer.allocate(4096);
        for (int i = 0; i < count; i++) {
            if (gapMillis > 0 && i > 0) sleep(gapMillis);
            long t0 = System.nanoTime();
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                c.write(ByteBuffer.wrap(message));
                in.clear();
                if (c.read(in) <= 0) throw new IOException("connection " + i + " closed before its echo");
                millis[i] = (System.nanoTime() - t0) / 1e6;
                int got = in.position();
                while (got < message.length) {
                    int n = c.read(in);
                    if (n < 0) throw new IOException("connection " + i + ": short echo");
                    got += n;
                }
                c.shutdownOutput();
                while (c.read(in.clear()) >= 0) {
                    // to EOF: the child has ended the connection
                }
            }
        }
        Arrays.sort(millis);
        System.out.printf("%s connections=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f ms%n", label, count,
                at(millis, 0.50), at(millis, 0.90), at(millis, 0.99), millis[count - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);   // the load's pattern (connections apart), not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
