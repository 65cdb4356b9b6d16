package echosuite.protocol;

import picocli.CommandLine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The life of every server process, so that each model's code is only its model:
 * <ol>
 *   <li>parse and check the command line (bad input: one sentence on stderr, exit 2);</li>
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

    /** A bad command line or environment, reported as one sentence with exit status 2. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String sentence) {
            super(sentence, null, false, false);
        }
    }

    /**
     * Parses {@code args} into {@code command} (a picocli {@code @Command} whose {@code call()}
     * ends in {@link #serve}) and runs it; never returns: exits with the command's status.
     */
    public static void main(Object command, String[] args) {
        System.exit(execute(command, args));
    }

    /** As {@link #main} but returns the exit status (0 ok, 1 failure, 2 bad usage). */
    public static int execute(Object command, String[] args) {
        return execute(new CommandLine(command), args, 1);
    }

    /**
     * Runs {@code cli} (a configured picocli command line, e.g. one with subcommands) on
     * {@code args} and returns its exit status: bad usage is one sentence on stderr and status 2,
     * an unexpected exception one line and {@code failureStatus}.
     */
    public static int execute(CommandLine cli, String[] args, int failureStatus) {
        String name = cli.getCommandName();
        cli.setParameterExceptionHandler((ex, a) -> {
            java.io.PrintWriter err = ex.getCommandLine().getErr();
            String help = ex.getCommandLine().getCommandSpec().qualifiedName();   // "loadgen pingpong" for a subcommand
            err.println(name + ": " + sentence(ex.getMessage()) + " (see " + help + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UsageError) {
                cmd.getErr().println(name + ": " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println(name + ": failed: " + ex);
            return failureStatus;
        });
        return cli.execute(args);
    }

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

    private static String sentence(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        int newline = m.indexOf('\n');
        if (newline > 0) m = m.substring(0, newline);
        return m.endsWith(".") ? m : m + ".";
    }

    /** picocli version provider: the jar manifest's Implementation-Version. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ServerRunner.class.getPackage().getImplementationVersion();
            return new String[] {"${COMMAND-NAME} " + (v == null ? "(development build)" : v)
                    + ", echo-with-logging protocol 1, Java " + Runtime.version()};
        }
    }
}
