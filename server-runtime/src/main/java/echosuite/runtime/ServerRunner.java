package echosuite.runtime;

import echosuite.cli.UsageError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The life of every server process, so that each model's code is only its model:
 * <ol>
 *   <li>check the options (bad input: a {@link UsageError}, one sentence and exit 2 by
 *       {@link echosuite.cli.ExitPolicy});</li>
 *   <li>open the log file (unwritable: one sentence, exit 2);</li>
 *   <li>start the model and print {@code listening on HOST:PORT};</li>
 *   <li>wait for SIGTERM or SIGINT;</li>
 *   <li>stop the model gracefully, write every pending record, print the {@code summary}
 *       line and exit 0, all within the protocol's 5 seconds; records the log file's storage
 *       has not taken by the model's deadline are given up and counted in {@code recordsLost}
 *       ({@link RecordLog#giveUpAt}).</li>
 * </ol>
 */
public final class ServerRunner {

    /** Time the model gets to end its connections; the log drain and exit need the rest of 5 s. */
    static final Duration SHUTDOWN_GRACE = Duration.ofMillis(3000);

    private ServerRunner() { }

    /**
     * Serves until SIGTERM/SIGINT with the model {@code model} makes from the context, then stops
     * gracefully and prints the summary. Returns the exit status.
     */
    public static int serve(String name, ServerOptions options, Function<EchoServer.Context, EchoServer> model)
            throws InterruptedException {
        String problem = options.problem();
        if (problem != null) throw new UsageError(problem);

        BurstReporter reporter = BurstReporter.stderr(name);
        RecordLog log;
        try {
            log = RecordLog.open(options.log, options.maxLogBacklog, reporter);
        } catch (IOException | SecurityException e) {
            throw new UsageError("cannot open log file " + options.log + " for appending: " + reason(e) + ".");
        }
        ServerCounters counters = new ServerCounters();
        EchoServer server = model.apply(new EchoServer.Context(options, log, counters, reporter));

        CountDownLatch stop = new CountDownLatch(1);
        // sun.misc.Signal rather than a shutdown hook: with a hook the JVM would exit with 143.
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
        }

        InetSocketAddress bound;
        try {
            bound = server.start();
        } catch (IOException e) {
            closeQuietly(log);
            throw new UsageError("cannot listen on " + options.bind + ":" + options.port + ": " + reason(e) + ".");
        }
        System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        System.out.flush();

        stop.await();
        Instant deadline = Instant.now().plus(SHUTDOWN_GRACE);
        log.giveUpAt(deadline);                 // a failing or stalled log file must not hold the exit
        server.shutdown(deadline);
        closeQuietly(log);
        counters.recordsLost.add(log.recordsLost());
        System.out.println(counters.summaryLine(server.recordsLogged(log)));
        System.out.flush();
        return 0;
    }

    private static void closeQuietly(RecordLog log) {
        try {
            log.close();
        } catch (IOException e) {
            System.err.println("closing the log file failed: " + e.getMessage());
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such directory";
        if (e instanceof java.net.BindException) return m == null ? "address in use" : m.toLowerCase();
        if (e instanceof java.nio.channels.UnresolvedAddressException) return "unknown address";
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
