package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol, "Echo": "the server stops reading from that connection ...; other connections are not
 * slowed by it". A slow reader (it sends a lot and reads nothing for now) among fast readers: the
 * fast ones complete every round trip while the slow one stays held back, then the slow one reads
 * and gets its whole echo, in order. Judged by progress, never by timings: a server that blocked
 * on the slow reader (a reactor writing with blocking I/O, say) would hang the fast clients, and
 * the read timeout would fail the test.
 */
class SlowReaderConformanceTest {

    static final int FAST_CLIENTS = 4;
    static final int ROUND_TRIPS = 1000;
    /** The slow client's own socket buffers, fixed so that what it can park in them is known. */
    static final int CLIENT_BUFFER_BYTES = 64 << 10;
    static final int LINE_BYTES = 1024;

    @TempDir
    Path dir;

    @ForEachServer
    void aSlowReaderAmongFastReadersDoesNotHoldThemBack(ServerUnderTest server) throws Exception {
        Path log = dir.resolve("log.txt");
        byte[] slowData = lines(moreThanEveryBufferOnTheWay());
        List<List<byte[]>> expected = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log);
             Socket slow = new Socket();
             ExecutorService pool = Executors.newCachedThreadPool()) {
            slow.setReceiveBufferSize(CLIENT_BUFFER_BYTES);
            slow.setSendBufferSize(CLIENT_BUFFER_BYTES);
            slow.setSoTimeout(EchoClient.READ_TIMEOUT_MILLIS);
            slow.connect(new InetSocketAddress("127.0.0.1", p.port()));
            AtomicLong slowSent = new AtomicLong();
            Future<?> slowSender = pool.submit(() -> {
                for (int off = 0; off < slowData.length; off += LINE_BYTES) {
                    slow.getOutputStream().write(slowData, off, LINE_BYTES);
                    slowSent.addAndGet(LINE_BYTES);
                }
                slow.shutdownOutput();
                return null;
            });

            List<CompletableFuture<List<byte[]>>> fast = new ArrayList<>();
            for (int c = 0; c < FAST_CLIENTS; c++) {
                int id = c;
                fast.add(CompletableFuture.supplyAsync(() -> pingPong(p.port(), id), pool));
            }
            for (CompletableFuture<List<byte[]>> f : fast) expected.add(f.get(3, TimeUnit.MINUTES));

            assertTrue(slowSent.get() < slowData.length, "while the fast clients ran, the slow client could not"
                    + " send all " + slowData.length + " bytes (the server stopped reading it); it sent " + slowSent.get());
            assertArrayEquals(slowData, slow.getInputStream().readAllBytes(), "the slow client's whole echo, in order, then EOF");
            slowSender.get();
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status());
        List<byte[]> slowRecords = new ArrayList<>();
        for (int off = 0; off < slowData.length; off += LINE_BYTES) {
            slowRecords.add(java.util.Arrays.copyOfRange(slowData, off, off + LINE_BYTES));
        }
        expected.add(slowRecords);
        assertVerified(log, expected);
    }

    private static List<byte[]> pingPong(int port, int id) {
        List<byte[]> sent = new ArrayList<>();
        try (EchoClient c = new EchoClient(port)) {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                byte[] m = bytes("fast " + id + " message " + i + "\n");
                assertArrayEquals(m, c.roundTrip(m));
                sent.add(m);
            }
            c.shutdownOutput();
            assertEquals(-1, c.read());
        } catch (IOException e) {
            throw new RuntimeException("fast client " + id + " after " + sent.size() + " round trips: " + e, e);
        }
        return sent;
    }

    /**
     * Bytes the slow client must send so that it cannot have sent them all unless the server kept
     * reading it: its own buffers, plus the most the kernel gives the server's receive and send
     * buffers ({@code tcp_rmem}, {@code tcp_wmem} maxima), plus 8 MiB for the server's own bound.
     */
    static int moreThanEveryBufferOnTheWay() throws IOException {
        long bytes = 2L * CLIENT_BUFFER_BYTES + maxOf("tcp_rmem") + maxOf("tcp_wmem") + (8 << 20);
        return (int) Math.min(Integer.MAX_VALUE / 2, bytes);
    }

    private static long maxOf(String sysctl) throws IOException {
        // readAllLines, not readString: the latter reads a /proc/sys file short (it reports size 0).
        String[] v = Files.readAllLines(Path.of("/proc/sys/net/ipv4", sysctl)).getFirst().trim().split("\\s+");
        return Long.parseLong(v[2]);
    }

    /** {@code total} bytes (rounded up) as numbered lines of {@value #LINE_BYTES} bytes. */
    static byte[] lines(int total) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(total + LINE_BYTES);
        for (int i = 0; out.size() < total; i++) {
            String head = "slow line " + i + " ";
            out.writeBytes(bytes(head + "s".repeat(LINE_BYTES - head.length() - 1) + "\n"));
        }
        return out.toByteArray();
    }
}
