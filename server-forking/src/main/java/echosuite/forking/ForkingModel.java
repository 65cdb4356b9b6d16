package echosuite.forking;

import echosuite.forking.aot.AotCacheTrainer;
import echosuite.forking.frames.LoggerCounters;
import echosuite.forking.prefork.PreforkServer;
import echosuite.runtime.BurstReporter;
import echosuite.runtime.EchoServer;
import echosuite.runtime.RecordLog;
import echosuite.runtime.ServerCounters;
import echosuite.runtime.ServerRunner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What both forking modes share. {@link #start} takes the steps of {@code echo_storeserv.c}'s
 * {@code main} in its order, each beside the C line it stands for:
 * <ol>
 * <li>{@code state = sigaction(SIGCHLD, &act, 0);}: the {@link Reaper}. It comes first, as in
 *     C, because the logger is already a child to reap.</li>
 * <li>{@code serv_sock = socket(PF_INET, SOCK_STREAM, 0);}, {@code bind(serv_sock, ...)},
 *     {@code listen(serv_sock, 5)}: the {@link ListeningSocket}. A port already taken fails here,
 *     before any child exists, so only the reaper has to be closed again.</li>
 * <li>{@code pipe(fds); pid = fork();} and the child's {@code read(fds[0], ...)} /
 *     {@code fwrite} loop: the logger child, started by {@link LoggerSupervisor} through
 *     {@link ChildLauncher}.</li>
 * <li>{@code while (1) { clnt_sock = accept(serv_sock, ...); pid = fork(); ... }}: the mode's
 *     {@link #startChildren} ({@link ProcessPerClientServer}: one handler child per accepted
 *     connection; {@link PreforkServer}: a fixed pool that accepts by
 *     itself).</li>
 * </ol>
 * The C program has no AOT cache; when one is to be made, its training starts between steps 3
 * and 4, as it needs the launcher and the reaper and no client.
 *
 * <p>Graceful shutdown, within protocol.md's 5 seconds: stop accepting (or restarting
 * children), close the listening socket, end every handler child ({@link
 * HandlerChildren#terminateAll}), then close the parent's pipe end and let the logger drain to
 * end of file ({@link LoggerSupervisor#finish}). At the children's deadline the logger is told to
 * give up on a log file whose storage fails or stalls ({@link LoggerSupervisor#giveUpStorage}), so
 * that it empties the pipe, counting what it cannot write, and no child stays blocked on it. The children's counts reach the summary
 * through the logger: each child sends a REPORT frame after its last records, the logger adds
 * them up in the shared {@link LoggerCounters} page, and the parent reads that page last.
 *
 * <p>The parent opens the log file too ({@code ServerRunner} does, to check that it is
 * writable before anything starts) but never writes to it; the logger child does.
 */
public abstract class ForkingModel implements EchoServer {

    /** Pause after accept or spawn fails, so exhaustion never spins a core. */
    static final long BACKOFF_MILLIS = 100;
    /** Time the logger gets, after the children's deadline, to write what is left. */
    static final long LOGGER_DRAIN_MILLIS = 1000;

    private final Context context;
    private final ForkingOptions forking;
    private Reaper reaper;
    private ChildLauncher launcher;
    private LoggerSupervisor logger;
    private HandlerChildren children;
    private ListeningSocket listening;
    private AotCacheTrainer trainer;
    private volatile boolean stopping;

    protected ForkingModel(Context context, ForkingOptions forking) {
        this.context = context;
        this.forking = forking;
    }

    @Override
    public final InetSocketAddress start() throws IOException {
        reaper = new Reaper(context.reporter());                          // state = sigaction(SIGCHLD, &act, 0);
        try {
            listening = ListeningSocket.open(context.options().bind, context.options().port);   // socket(); bind(); listen();
        } catch (IOException e) {
            reaper.close();
            throw e;
        }
        try {
            launcher = new ChildLauncher(forking.aotCache(), context.options().maxLine, context.options().idleTimeoutMillis(),
                    context.options().maxConnections, forking.maxConnectionsPerChild, context.options().log,
                    context.options().maxLogBacklog, forking.prefork == 0, ForkingOptions.SPARE_WARM_UP_MESSAGES);
            logger = LoggerSupervisor.start(launcher, reaper, context.reporter());   // pipe(fds); pid = fork(); the logger
            children = new HandlerChildren(reaper, logger, context.counters(), context.reporter());
        } catch (IOException | RuntimeException e) {
            listening.close();
            if (logger != null) finishLogger();
            reaper.close();
            throw e;
        }
        Path aotCacheToMake = forking.aotCacheToMake();
        if (aotCacheToMake != null) trainer = AotCacheTrainer.trainInBackground(aotCacheToMake, launcher, reaper, context.reporter());
        try {
            startChildren();                                                      // while (1) { accept(); fork(); ... }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the handler children", e);
        }
        return listening.address();
    }

    private void finishLogger() {
        try {
            logger.finish(Instant.now().plusSeconds(2));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the mode's way of serving: an accept loop, or the preforked pool. */
    protected abstract void startChildren() throws IOException, InterruptedException;

    /** Stops starting handler children; returns when no more will be started. */
    protected abstract void stopAccepting() throws InterruptedException;

    /** Adds to the summary what only this mode knows (prefork: the children's accepts and refusals). */
    protected abstract void addModeCounts(LoggerCounters logged);

    @Override
    public final void shutdown(Instant deadline) throws InterruptedException {
        stopping = true;
        if (trainer != null) trainer.cancel();
        stopAccepting();
        listening.close();                                  // close(serv_sock)
        children.terminateAll(deadline, logger::giveUpStorage);
        logger.finish(Instant.now().plusMillis(LOGGER_DRAIN_MILLIS));
        reaper.close();
        LoggerCounters logged = logger.counters();
        ServerCounters counters = context.counters();
        counters.bytesEchoed.add(logged.get(LoggerCounters.BYTES_ECHOED));
        counters.errors.add(logged.get(LoggerCounters.ERRORS));
        counters.connectionsTimedOut.add(logged.get(LoggerCounters.TIMED_OUT));
        counters.recordsLost.add(logger.recordsLost());
        addModeCounts(logged);
    }

    /** Records the logger child wrote, for the summary line (the parent's own log writer writes none). */
    @Override
    public long recordsLogged(RecordLog parentLog) {
        return logger == null ? 0 : logger.counters().get(LoggerCounters.WRITTEN);
    }

    protected final boolean stopping() {
        return stopping;
    }

    protected final ListeningSocket listening() {
        return listening;
    }

    protected final ChildLauncher launcher() {
        return launcher;
    }

    protected final HandlerChildren children() {
        return children;
    }

    protected final ForkingOptions forking() {
        return forking;
    }

    protected final ServerCounters counters() {
        return context.counters();
    }

    protected final BurstReporter reporter() {
        return context.reporter();
    }
}
