package echosuite.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain blocking test client. Every read has a timeout ({@value #READ_TIMEOUT_MILLIS} ms), so
 * a server that does not answer fails the test instead of hanging it.
 */
final class EchoClient implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 20_000;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    EchoClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    /** Reads exactly {@code n} bytes (fails on EOF or timeout). */
    byte[] readExactly(int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        if (buf.length != n) throw new IOException("EOF after " + buf.length + " of " + n + " bytes");
        return buf;
    }

    /** Sends {@code data} and returns its echo. */
    byte[] roundTrip(byte[] data) throws IOException {
        send(data);
        return readExactly(data.length);
    }

    /** Reads one byte: -1 means the server closed (EOF). */
    int read() throws IOException {
        return in.read();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads until EOF. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /**
     * Sends all of {@code data} while a second thread reads the echo, then half-closes and
     * returns everything received up to EOF. Reading concurrently matters: a server that echoes
     * while it reads would otherwise deadlock with a client that only writes.
     */
    static byte[] exchange(int port, byte[] data) throws Exception {
        try (EchoClient c = new EchoClient(port)) {
            CompletableFuture<byte[]> echo = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    c.in.transferTo(got);
                    echo.complete(got.toByteArray());
                } catch (IOException e) {
                    echo.completeExceptionally(e);
                }
            });
            c.send(data);
            c.shutdownOutput();
            return echo.get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
