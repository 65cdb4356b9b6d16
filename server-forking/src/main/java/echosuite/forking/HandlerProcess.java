package echosuite.forking;

import echosuite.forking.frames.FrameWriter;
import echosuite.forking.frames.LoggerCounters;
import echosuite.forking.prefork.Scoreboard;
import echosuite.forking.relay.ChildErrorRelay;
import echosuite.forking.spares.SpareChildren;
import echosuite.forking.spares.SpareWarmUp;
import echosuite.runtime.BlockingConnection;
import echosuite.runtime.BurstReporter;
import echosuite.runtime.ServerCounters;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The handler child: the code {@code echo_storeserv.c} runs after {@code fork()} returns 0,
 * as a JVM of its own. Started by the parent as
 * {@code java ... HandlerProcess MAXLINE MAXCONNECTIONS MAXPERCHILD IDLETIMEOUTMILLIS [spare WARMUP]}
 * (the parent's options, in a command line built once at its start) with:
 * <ul>
 *   <li>fd 0: the client's socket (one process per connection), or the parent's listening
 *       socket ({@code --prefork}); {@link System#inheritedChannel()} turns it into a
 *       {@link SocketChannel} or a {@link ServerSocketChannel}. A spare ({@code spare WARMUP},
 *       {@code --spares}) gets a Unix-domain socket to the parent there instead, and its client
 *       later through it ({@link #awaitClientAsSpare});</li>
 *   <li>fd 1 and 2: a pipe to the parent, which passes what the child prints on to its own
 *       stderr ({@link ChildErrorRelay});</li>
 *   <li>fd 3: the write end of the logger pipe ({@link FrameWriter});</li>
 *   <li>fd 4: the read end of the parent's lifeline pipe, whose write end only the parent
 *       holds;</li>
 *   <li>fd 5: the {@link LoggerCounters} page, where {@link FrameWriter} counts the records it is
 *       about to send ({@link LoggerCounters#SENT});</li>
 *   <li>prefork only, fd 6: the {@link Scoreboard}. Nothing else.</li>
 * </ul>
 * Why fd 3 and not stdout: when a channel from {@code System.inheritedChannel()} is closed,
 * the JDK points fds 0, 1 and 2 at {@code /dev/null} (inetd style), so anything written to
 * fd 1 after the client's socket is closed (this connection's REPORT, or its last records when
 * SIGTERM closed the socket) would silently vanish.
 * It serves its client with the same {@link BlockingConnection} loop the threaded servers run,
 * and sends the connection's records, then a REPORT of its counts, through the pipe.
 * With {@code --idle-timeout} (IDLETIMEOUTMILLIS &gt; 0) that loop ends a silent connection as at
 * end of file, and the REPORT says so: its fourth count, added up by the logger in the shared
 * {@link LoggerCounters} page, becomes the parent's {@code connectionsTimedOut}. Why the REPORT
 * and not an exit status the reaper would see: a preforked child serves many connections but
 * exits once, and the REPORT is already how every other per-connection count reaches the parent.
 * In prefork mode it accepts and serves connections one after another, at most MAXPERCHILD
 * (0: no limit), then exits so that the parent starts a fresh one; a connection accepted while
 * MAXCONNECTIONS are being served by all children together is closed at once (refused).
 *
 * <p>Graceful end: when the lifeline reads end of file (the parent closed its end to shut
 * down, or the parent died), the child ends the client's input as if it had sent EOF (its
 * unfinished record is logged, the echo it is owed is sent) and stops accepting. A pipe rather
 * than SIGTERM, because a signal that arrives while the JVM is still starting would kill the
 * child before it could install a handler; end of file waits for it to read. SIGTERM is the
 * second step, for a client that does not read its echo: it closes the connection (its records
 * are still sent to the logger). Exit status 0 when the connection ended normally, 1 on an I/O
 * error, 2 when fd 0 is not a socket.
 */
public final class HandlerProcess {

    /** Prefork: how long a connection over --max-connections waits for another to end before it is refused. */
    static final long REFUSE_AFTER_MILLIS = ProcessPerClientServer.REFUSE_AFTER_MILLIS;   // the same rule in both modes

    /** The argument that makes a child a spare (then followed by its number of warm-up messages). */
    static final String SPARE = "spare";
    /**
     * The hand-off's bytes: a spare sends READY when it is warm and waits for its client; the
     * parent sends CLIENT with the client's descriptor; the spare answers RECEIVED once it holds it.
     */
    public static final byte READY = 'R', CLIENT = 'H', RECEIVED = 'C';

    private static volatile SocketChannel current;
    private static volatile ServerSocketChannel listener;
    private static volatile boolean ending;

    private HandlerProcess() { }

    public static void main(String[] args) throws IOException {
        // Opening /proc/self/fd/3 gives a second handle on the inherited pipe; every write of a
        // FileOutputStream is one write() call, so each frame goes in whole.
        FileOutputStream pipe = new FileOutputStream("/proc/self/fd/3");
        int maxLine = Integer.parseInt(args[0]);
        int maxConnections = Integer.parseInt(args[1]);
        long maxPerChild = Long.parseLong(args[2]);
        long idleTimeoutMillis = Long.parseLong(args[3]);
        int pid = (int) ProcessHandle.current().pid();
        // Mapped at start: one open and mmap, before a spare says it is ready (off its client's path).
        FrameWriter frames = new FrameWriter(pipe, pid, LoggerCounters.map(Path.of("/proc/self/fd/5")));
        // String.concat, not "+": an indy string concatenation would spin method handles at its
        // first use, a few milliseconds of every connection's start.
        BurstReporter reporter = BurstReporter.stderr("server-forking child ".concat(Integer.toString(pid)));
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> closeNow());
        Thread.ofPlatform().name("lifeline").daemon(true).start(HandlerProcess::awaitLifelineEnd);

        if (args.length > 4 && args[4].equals(SPARE)) {
            if (!awaitClientAsSpare(Integer.parseInt(args[5]), maxLine, pid)) System.exit(0);   // shut down while idle
        }
        Channel inherited = System.inheritedChannel();
        int status;
        if (inherited instanceof SocketChannel client) {
            status = serve(client, maxLine, idleTimeoutMillis, frames, reporter) ? 0 : 1;
        } else if (inherited instanceof ServerSocketChannel server) {
            status = acceptLoop(server, maxLine, idleTimeoutMillis, maxConnections, maxPerChild, pid, frames, reporter);
        } else {
            System.err.println("server-forking child: fd 0 is not a socket; this program is started by the forking server.");
            status = 2;
        }
        System.exit(status);
    }

    /** Serves one connection to its end and reports it; returns true if it ended without an I/O error. */
    static boolean serve(SocketChannel client, int maxLine, long idleTimeoutMillis, FrameWriter frames,
                         BurstReporter reporter) throws IOException {
        current = client;
        if (ending) client.shutdownInput();                       // the parent is stopping: no new input
        ServerCounters counters = new ServerCounters();
        new BlockingConnection(client, maxLine, idleTimeoutMillis, frames, counters, reporter, () -> { }).run();
        current = null;
        long errors = counters.errors.sum();
        frames.report(counters.bytesEchoed.sum(), errors, counters.connectionsTimedOut.sum());
        return errors == 0;
    }

    /**
     * A spare ({@link SpareChildren}): fd 0 is a Unix-domain socket to the parent. Warm up, say
     * {@link #READY}, then wait for the client, which the parent passes with {@code SCM_RIGHTS};
     * acknowledge it with {@link #RECEIVED} (only then does the parent close its copy), and make
     * it fd 0, where {@link System#inheritedChannel()} finds it as it finds a client given at
     * spawn. From here on a spare is the one-connection child of {@code echo_storeserv.c}.
     * Returns false if the parent closed the socket instead (it is stopping): no client.
     */
    private static boolean awaitClientAsSpare(int warmUpMessages, int maxLine, int pid) throws IOException {
        try {
            SpareWarmUp.run(warmUpMessages, maxLine, pid);
            SpareWarmUp.handOffToSelf();
        } catch (InterruptedException e) {
            return false;
        }
        if (ending || !Posix.sendByte(0, READY, -1)) return false;
        int[] received = Posix.receiveByte(0);               // blocks until the parent hands a client over
        if (received == null || received[1] < 0) return false;
        Posix.sendByte(0, RECEIVED, -1);
        Posix.dup2(received[1], 0);                          // the client takes the parent socket's place
        Posix.close(received[1]);
        return true;
    }

    /** Prefork: accept and serve one connection at a time, like an Apache prefork worker. */
    private static int acceptLoop(ServerSocketChannel server, int maxLine, long idleTimeoutMillis, int maxConnections,
                                  long maxPerChild, int pid, FrameWriter frames, BurstReporter reporter) throws IOException {
        listener = server;
        Scoreboard scoreboard = Scoreboard.map(Path.of("/proc/self/fd/6"));
        scoreboard.claimSlot(pid);
        if (ending) return 0;
        int status = 0;
        for (long served = 0; maxPerChild == 0 || served < maxPerChild; ) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (AsynchronousCloseException stopped) {        // the lifeline ended: stop accepting
                break;
            }
            try {
                if (!scoreboard.tryEnter(pid, maxConnections, REFUSE_AFTER_MILLIS)) {   // over --max-connections: refuse
                    client.close();
                    continue;
                }
            } catch (InterruptedException e) {
                client.close();
                break;
            }
            try {
                if (!serve(client, maxLine, idleTimeoutMillis, frames, reporter)) status = 1;
            } finally {
                scoreboard.leave(pid);
            }
            served++;
            if (ending) break;
        }
        return status;
    }

    /** Blocks reading the lifeline (fd 4) until end of file, then ends gracefully. */
    private static void awaitLifelineEnd() {
        try (FileInputStream lifeline = new FileInputStream("/proc/self/fd/4")) {
            while (lifeline.read() >= 0) {
                // the parent never writes; any byte is ignored
            }
        } catch (IOException e) {
            // no lifeline (started by hand): treat like its end
        }
        ending = true;
        try {
            ServerSocketChannel server = listener;
            if (server != null) server.close();                    // wakes a waiting accept()
            SocketChannel client = current;
            if (client != null) client.shutdownInput();             // the read sees EOF
        } catch (IOException e) {
            // the connection is ending anyway
        }
    }

    /** SIGTERM, after the graceful end took too long: close the connection now. */
    private static void closeNow() {
        ending = true;
        try {
            ServerSocketChannel server = listener;
            if (server != null) server.close();
            SocketChannel client = current;
            if (client != null) client.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
