package echosuite.forking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking test client with a read timeout, so a test never hangs on a server that does not answer. */
final class Client implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 60_000;

    final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    Client(int port) throws IOException {
        this(port, READ_TIMEOUT_MILLIS);
    }

    Client(int port, int readTimeoutMillis) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads exactly {@code n} bytes; fails on EOF. */
    byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new IOException("EOF after " + b.length + " of " + n + " bytes");
        return b;
    }

    byte[] roundTrip(byte[] message) throws IOException {
        send(message);
        return readExactly(message.length);
    }

    String roundTrip(String message) throws IOException {
        return new String(roundTrip(message.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Half-closes and reads to EOF; returns what came before it. */
    byte[] finish() throws IOException {
        socket.shutdownOutput();
        return in.readAllBytes();
    }

    /**
     * Half-closes and reads until EOF or a reset; returns what came before. A server that
     * closes a connection with unread input makes the kernel send a reset instead of EOF.
     */
    byte[] finishOrReset() throws IOException {
        socket.shutdownOutput();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) got.write(buffer, 0, n);
        } catch (java.net.SocketException reset) {
            // the connection ended with a reset
        }
        return got.toByteArray();
    }

    int read() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
