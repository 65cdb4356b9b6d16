package echosuite.virtualthreads;

import echosuite.runtime.BurstReporter;
import echosuite.runtime.EchoServer;
import echosuite.runtime.RecordLog;
import echosuite.runtime.ServerCounters;
import echosuite.runtime.ServerOptions;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule docs/models.md states for this server: nothing on the echo path pins a carrier (no
 * native frame or class initialisation under a blocking call; the file write happens on the
 * logger's platform thread). The server's own model runs in this JVM under a JFR recording of
 * {@code jdk.VirtualThreadPinned} at threshold 0, which records every pinned park however short,
 * while platform-thread clients echo messages over 127.0.0.1; the recording must hold no pinned
 * event but the one this test causes on purpose, which shows that the recording would have seen
 * one.
 */
class CarrierPinningTest {

    /** The JFR event a virtual thread emits when it blocks without being able to unmount. */
    private static final String PINNED = "jdk.VirtualThreadPinned";
    private static final String CONTROL_THREAD = "pinned-on-purpose";
    private static final int CONNECTIONS = 64;
    private static final int MESSAGES_PER_CONNECTION = 200;
    /** A typical echoed line: 63 bytes of text and its {@code \n}. */
    private static final int MESSAGE_BYTES = 64;
    /** A client read gives up after this: a failure bound, not a wait. */
    private static final int CLIENT_TIMEOUT_MILLIS = 20_000;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)   // a bound on a hung server, not a speed target
    void theEchoPathNeverPinsACarrier(@TempDir Path dir) throws Exception {
        Path recordingFile = dir.resolve("pinning.jfr");
        long logged;
        try (Recording recording = new Recording()) {
            recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
            logged = serveEchoLoad(dir.resolve("echomsg.txt"), recording);
            recording.stop();
            recording.dump(recordingFile);
        }
        assertEquals((long) (CONNECTIONS + 1) * MESSAGES_PER_CONNECTION, logged, "records in the server's log (the first client's too)");

        List<RecordedEvent> pinned = RecordingFile.readAllEvents(recordingFile).stream()
                .filter(e -> e.getEventType().getName().equals(PINNED)).toList();
        assertTrue(pinned.stream().anyMatch(CarrierPinningTest::fromControl),
                "JFR recorded no pinning even where it is certain, so it cannot vouch for the echo path");
        List<RecordedEvent> onTheEchoPath = pinned.stream().filter(e -> !fromControl(e)).toList();
        assertTrue(onTheEchoPath.isEmpty(), onTheEchoPath.size() + " pinned parks under echo load:\n"
                + onTheEchoPath.stream().map(CarrierPinningTest::describe).collect(Collectors.joining("\n")));
    }

    /**
     * A virtual thread cannot unmount while it runs a class initialiser, so parking in one pins
     * its carrier: the JDK records {@value #PINNED} for it.
     */
    private static void pinACarrierOnPurpose() throws InterruptedException {
        Thread.ofVirtual().name(CONTROL_THREAD).start(ParksInItsInitializer::load).join();
    }

    private static final class ParksInItsInitializer {
        static {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }

        static void load() {
            // running this initialises the class, which is the point
        }
    }

    /**
     * Runs the server's model and one first client, then starts {@code recording}, pins a carrier
     * on purpose and echoes every client's messages; stops the server and returns the records it
     * logged. The first client is served before the recording because the first connection of a
     * JVM runs the JDK's one-time class initialisations (its I/O poller, the socket options a
     * channel supports), and a virtual thread that waits for another to finish one is pinned for
     * those microseconds (seen in CI, at {@code SocketChannelImpl.supportedOptions} and in
     * {@code Poller.subPollerLoop}). The rule is about every connection after that.
     */
    private static long serveEchoLoad(Path logPath, Recording recording) throws Exception {
        ServerOptions options = new ServerOptions();
        options.port = 0;
        options.bind = "127.0.0.1";
        options.log = logPath;
        options.maxLine = ServerOptions.DEFAULT_MAX_LINE;
        options.maxConnections = CONNECTIONS + 1;
        options.maxLogBacklog = RecordLog.DEFAULT_MAX_PENDING_BYTES;
        BurstReporter reporter = BurstReporter.stderr("server-virtualthreads");
        RecordLog log = RecordLog.open(logPath, options.maxLogBacklog, reporter);
        EchoServer server = VirtualThreadServer.model(new EchoServer.Context(options, log, new ServerCounters(), reporter));
        try {
            InetSocketAddress address = server.start();
            assertEquals(MESSAGES_PER_CONNECTION, echoMessages(address), "echoes the first client got");
            recording.start();
            pinACarrierOnPurpose();
            List<Future<Integer>> clients = new ArrayList<>();
            try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("load-", 0).factory())) {
                for (int i = 0; i < CONNECTIONS; i++) clients.add(threads.submit(() -> echoMessages(address)));
            }
            for (Future<Integer> client : clients) assertEquals(MESSAGES_PER_CONNECTION, client.get(), "echoes one client got");
        } finally {
            server.shutdown(Instant.now().plusSeconds(5));
            log.close();
        }
        return server.recordsLogged(log);
    }

    /** One client: sends its messages one at a time and checks every echo; returns how many came back. */
    private static int echoMessages(InetSocketAddress address) throws IOException {
        byte[] message = new byte[MESSAGE_BYTES];
        Arrays.fill(message, (byte) 'x');
        message[MESSAGE_BYTES - 1] = '\n';
        byte[] echo = new byte[MESSAGE_BYTES];
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.connect(address, CLIENT_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < MESSAGES_PER_CONNECTION; i++) {
                out.write(message);
                in.readFully(echo);
                assertArrayEquals(message, echo, "echo of message " + i);
            }
            socket.shutdownOutput();
            assertFalse(in.read() >= 0, "the server sent more than the echoes");
        }
        return MESSAGES_PER_CONNECTION;
    }

    private static boolean fromControl(RecordedEvent event) {
        return event.getThread("eventThread") != null
                && CONTROL_THREAD.equals(event.getThread("eventThread").getJavaName());
    }

    private static String describe(RecordedEvent event) {
        String thread = event.getThread("eventThread") == null ? "?" : event.getThread("eventThread").getJavaName();
        String stack = event.getStackTrace() == null ? "  (no stack trace)" : event.getStackTrace().getFrames().stream()
                .limit(12).map(CarrierPinningTest::frame).collect(Collectors.joining("\n"));
        return thread + " pinned " + event.getDuration().toNanos() / 1000 + " µs"
                + (event.hasField("pinnedReason") ? " (" + event.getString("pinnedReason") + ")" : "") + "\n" + stack;
    }

    private static String frame(RecordedFrame frame) {
        return "  at " + frame.getMethod().getType().getName() + "." + frame.getMethod().getName()
                + " line " + frame.getLineNumber();
    }
}
