package echosuite.selector;

import echosuite.runtime.BurstReporter;
import echosuite.runtime.EchoServer;
import echosuite.runtime.RecordLog;
import echosuite.runtime.ServerCounters;
import echosuite.runtime.ServerOptions;
import echosuite.runtime.ServerRunner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link ReactorServer} running inside the test JVM on 127.0.0.1 and an OS-chosen port, with
 * its own log file: what {@code ServerRunner} does around a model, minus the signals. The
 * protocol-wide checks run against real processes in the conformance kit; this fixture is for
 * what is particular to the reactor.
 */
final class InProcessServer implements AutoCloseable {

    /** Every blocking client read in these tests gives up after this: a failure bound, not a wait. */
    static final int CLIENT_TIMEOUT_MILLIS = 20_000;

    final ServerOptions options = new ServerOptions();
    final ServerCounters counters = new ServerCounters();
    final Path logPath;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final int reactors;
    private RecordLog log;
    private ReactorServer server;
    private InetSocketAddress address;
    private boolean stopped;
    private volatile boolean started;

    InProcessServer(Path dir, int reactors) {
        this(reactors, dir.resolve("echomsg.txt"));
    }

    /** With the log at {@code logPath} (a FIFO, for a test that controls when the logger can write). */
    static InProcessServer withLogAt(Path logPath, int reactors) {
        return new InProcessServer(reactors, logPath);
    }

    private InProcessServer(int reactors, Path logPath) {
        this.logPath = logPath;
        this.reactors = reactors;
        options.port = 0;
        options.bind = "127.0.0.1";
        options.log = logPath;
        options.maxLine = ServerOptions.DEFAULT_MAX_LINE;
        options.maxConnections = 10_000;
        options.maxLogBacklog = RecordLog.DEFAULT_MAX_PENDING_BYTES;
    }

    InProcessServer start() throws IOException {
        BurstReporter reporter = new BurstReporter("server-selector", new PrintStream(stderr, true, StandardCharsets.UTF_8), 1000);
        log = RecordLog.open(logPath, options.maxLogBacklog, reporter);
        server = new ReactorServer(new EchoServer.Context(options, log, counters, reporter), reactors);
        address = server.start();
        started = true;
        return this;
    }

    /** True once {@link #start} has returned (readable from any thread). */
    boolean started() {
        return started;
    }

    /** A connected client socket with the tests' read timeout. */
    Socket connect() throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        s.connect(address, CLIENT_TIMEOUT_MILLIS);
        return s;
    }

    /** Graceful shutdown with {@code grace} for connections to finish, then the log is closed (all records written). */
    void stop(Duration grace) throws IOException, InterruptedException {
        if (stopped || server == null) return;
        stopped = true;
        server.shutdown(Instant.now().plus(grace));
        log.close();
    }

    /** Times the reactors found the log full and parked readers (read after {@link #stop}). */
    long logRefusals() {
        return server.logRefusals();
    }

    @Override
    public void close() throws IOException {
        try {
            stop(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the server", e);
        }
    }
}
