package echosuite.forking;

import echosuite.forking.aot.AotCacheTrainer;
import echosuite.forking.frames.LoggerCounters;
import echosuite.forking.prefork.Scoreboard;
import echosuite.forking.spares.SpareChildren;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the two kinds of child JVM with {@code posix_spawn}, giving each exactly the file
 * descriptors it should hold and nothing else: where {@code echo_storeserv.c} calls
 * {@code fork()} and the child simply keeps {@code clnt_sock} and {@code fds[1]}, here the file
 * actions {@code dup2} the client socket to fd 0, the logger pipe to fd 3, the lifeline
 * to fd 4 and the logger's counters page to fd 5, then close every
 * descriptor above the last ({@code addclosefrom_np}), so no child holds another's client, the
 * listening socket, the log file or the read end of the pipe.
 *
 * <p>The command line and the environment of each kind are fixed and built once (see
 * {@link #jvmOptions}): a child's start cost is this model's price per connection, and the
 * options keep it low: the JDK's AOT cache when one is given (classes already loaded and linked),
 * the C1 compiler only for one-connection children, the serial collector, a small heap, no perf-data file, and a class path
 * of this module's jar only (with the protocol jar its manifest names).
 *
 * <p>Children get a clean signal state and a process group of their own (a Ctrl-C in the
 * terminal reaches only the parent, which stops them in order). Thread-safe after construction.
 */
public final class ChildLauncher {

    /** Environment of every child: fixed, so a child never depends on the caller's environment (no JAVA_TOOL_OPTIONS). */
    static final List<String> ENVIRONMENT = List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8");

    private final Arena arena = Arena.ofShared();
    private final MemorySegment javaPath;
    private final MemorySegment environment;
    private final MemorySegment attributes;
    private final String java;
    private final String classPath;
    private final int maxLine;
    private final long idleTimeoutMillis;
    private final int maxConnections;
    private final long maxConnectionsPerChild;
    private final boolean shortLivedHandlers;
    private volatile MemorySegment handlerArgv;
    private volatile MemorySegment spareArgv;
    private final int spareWarmUpMessages;
    private final MemorySegment loggerArgv;

    /**
     * @param aotCache   the handler child's AOT cache file, or null to start without one
     * @param maxLine    the {@code --max-line} option, handed to every handler child
     * @param idleTimeoutMillis the {@code --idle-timeout} option in milliseconds (0: off), handed to every handler child
     * @param maxConnections the {@code --max-connections} option, kept by prefork children together
     * @param maxConnectionsPerChild prefork: connections a child serves before it exits (0: no limit)
     * @param log        the log file, handed to the logger child
     * @param maxBacklog bytes of records the logger may hold before it stops reading the pipe
     * @param shortLivedHandlers true if each handler child serves one connection (then it compiles
     *                   less: see {@link #handlerOptions})
     * @param spareWarmUpMessages messages a spare child echoes to itself before it says it is ready
     */
    ChildLauncher(Path aotCache, int maxLine, long idleTimeoutMillis, int maxConnections, long maxConnectionsPerChild,
                  Path log, int maxBacklog, boolean shortLivedHandlers, int spareWarmUpMessages) throws Posix.PosixException {
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classPath = absoluteClassPath();
        this.maxLine = maxLine;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerChild = maxConnectionsPerChild;
        this.shortLivedHandlers = shortLivedHandlers;
        this.spareWarmUpMessages = spareWarmUpMessages;
        this.javaPath = arena.allocateFrom(java);
        this.environment = Posix.cStrings(arena, ENVIRONMENT);
        this.attributes = Posix.cleanSpawnAttributes(arena, true);
        useAotCache(aotCache);

        List<String> logger = new ArrayList<>(List.of(java));
        logger.addAll(jvmOptions("64m"));
        logger.add("-XX:TieredStopAtLevel=1");          // the logger's work is I/O; C1 is enough
        logger.addAll(List.of("-cp", classPath, LoggerProcess.class.getName(),
                log.toAbsolutePath().toString(), Integer.toString(maxBacklog)));
        this.loggerArgv = Posix.cStrings(arena, logger);
    }

    /**
     * The JVM options of a child: the fixed, minimal list that makes a small JVM start fast.
     * (Class data sharing is on by default: the JDK's own archive of its core classes.)
     */
    static List<String> jvmOptions(String maxHeap) {
        return List.of(
                "-XX:+UseSerialGC",                 // the collector with the least to set up
                "-Xms8m", "-Xmx" + maxHeap,
                "-Xss512k",
                "-XX:-UsePerfData",                 // no hsperfdata file to create and map
                // The platform's provider at once, instead of a ServiceLoader search that opens
                // every jar of the class path for META-INF/services (System.inheritedChannel()
                // asks for the provider).
                "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider",
                // System.inheritedChannel() makes its FileDescriptor by reflection; the default
                // accessor would first generate method-handle classes (a measurable part of a child's
                // start here), the native one needs none. No reflection is on a hot path.
                "-Djdk.reflect.useNativeAccessorOnly=true");
    }

    /** Added for a handler child that serves one connection: it compiles less (C1 only, later). */
    static final List<String> ONE_CONNECTION_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10");

    /**
     * The options of a handler child: {@link #jvmOptions}, and for a child that serves one
     * connection (started on accept, or a spare) C1 only with compile thresholds ten times
     * higher: measured (docs/models.md), full tiered compilation costs a short connection more
     * CPU and does not pay back within a connection of seconds on one CPU, where every child
     * compiles its own copy of the same code, and warming a spare up to C2 costs it several times
     * its start. Preforked children live long and keep both compilers. Either way the AOT cache
     * gives the JIT the method profiles of the training run (JEP 515).
     */
    private List<String> handlerOptions(boolean oneConnection) {
        List<String> options = new ArrayList<>(jvmOptions("32m"));
        options.add("--enable-native-access=ALL-UNNAMED");   // a spare receives its client through Posix (FFM)
        if (oneConnection) options.addAll(ONE_CONNECTION_OPTIONS);
        return options;
    }

    /**
     * From now on, handler children start with {@code aotCache} (JDK 25's AOT cache: their
     * classes already loaded and linked, their lambdas and method handles already made, the
     * method profiles of the training run), or without one if null or not a file.
     */
    public void useAotCache(Path aotCache) {
        String cache = aotCache != null && Files.isRegularFile(aotCache) ? "-XX:AOTCache=" + aotCache : null;
        this.handlerArgv = Posix.cStrings(arena, handlerCommand(handlerOptions(shortLivedHandlers), cache, false));
        this.spareArgv = Posix.cStrings(arena, handlerCommand(handlerOptions(true), cache, true));
    }

    /** The handler's command line: java, {@code options} (and {@code extra} if not null), the class, its arguments, and a spare's. */
    private List<String> handlerCommand(List<String> options, String extra, boolean spare) {
        List<String> handler = new ArrayList<>(List.of(java));
        handler.addAll(options);
        if (extra != null) handler.add(extra);
        handler.addAll(List.of("-cp", classPath, HandlerProcess.class.getName(),
                Integer.toString(maxLine), Integer.toString(maxConnections), Long.toString(maxConnectionsPerChild),
                Long.toString(idleTimeoutMillis)));
        if (spare) handler.addAll(List.of(HandlerProcess.SPARE, Integer.toString(spareWarmUpMessages)));
        return List.copyOf(handler);
    }

    /**
     * The AOT training run ({@link AotCacheTrainer}): a spare like any other, with the same class
     * path and options, that records what it loads, links and profiles and writes the cache to
     * {@code output} when it exits. A spare runs every path a handler child can: its warm-up, the
     * hand-off (FFM), then the client's connection as a child started on accept does. Its fds are
     * those of {@link #spawnSpare}, from {@code fds}: the trainer's own pipe and counters page, and
     * its output as stdout and stderr.
     */
    public int spawnTrainingSpare(Path output, int spareSocketFd, HandlerChildren.Shared fds) throws Posix.PosixException {
        return spawn(Posix.cStrings(arena, handlerCommand(handlerOptions(false), "-XX:AOTCacheOutput=" + output, true)),
                handlerFds(spareSocketFd, fds, -1));
    }

    /**
     * Starts a handler child: {@code socketFd} (a client, or the listening socket in prefork
     * mode) becomes its fd 0, and {@code fds} the rest: stderr relay its fd 1 and 2, logger pipe
     * write end its fd 3, lifeline (read end of the parent's lifeline pipe) its fd 4, the shared
     * {@link LoggerCounters} page its fd 5, and in prefork mode {@code scoreboardFd} (the
     * {@link Scoreboard} memfd; -1 otherwise) its fd 6.
     */
    int spawnHandler(int socketFd, HandlerChildren.Shared fds, int scoreboardFd) throws Posix.PosixException {
        return spawn(handlerArgv, handlerFds(socketFd, fds, scoreboardFd));
    }

    /**
     * Starts a spare handler child ({@link SpareChildren}): {@code spareSocketFd} (the child's
     * end of a Unix-domain socket pair, on which its client will arrive) becomes its fd 0, and
     * fds 1 to 5 are those of {@link #spawnHandler}.
     */
    public int spawnSpare(int spareSocketFd, HandlerChildren.Shared fds) throws Posix.PosixException {
        return spawn(spareArgv, handlerFds(spareSocketFd, fds, -1));
    }

    /** A handler child's {@code dup2} pairs, in the order of {@link #spawnHandler}; the scoreboard only if not -1. */
    private static int[][] handlerFds(int socketFd, HandlerChildren.Shared fds, int scoreboardFd) {
        int[][] common = {{socketFd, 0}, {fds.stderrFd(), 1}, {fds.stderrFd(), 2}, {fds.pipeWriteFd(), 3},
                {fds.lifelineFd(), 4}, {fds.countersFd(), 5}};
        if (scoreboardFd < 0) return common;
        int[][] withScoreboard = Arrays.copyOf(common, common.length + 1);
        withScoreboard[common.length] = new int[] {scoreboardFd, 6};
        return withScoreboard;
    }

    /**
     * Starts the logger child: {@code pipeReadFd} becomes its fd 0, stderr its fd 1 and 2,
     * {@code countersFd} (the shared {@link LoggerCounters} page) its fd 3.
     */
    int spawnLogger(int pipeReadFd, int countersFd) throws Posix.PosixException {
        return spawn(loggerArgv, new int[][] {{pipeReadFd, 0}, {2, 1}, {countersFd, 3}});
    }

    private int spawn(MemorySegment argv, int[][] dup2) throws Posix.PosixException {
        return spawn(javaPath, argv, environment, attributes, dup2);
    }

    /**
     * posix_spawn of {@code program} (a C string) with {@code argv} and {@code environment} (as
     * {@link Posix#cStrings} makes them) and {@code attributes} ({@link Posix#cleanSpawnAttributes}),
     * and these file actions: each {@code dup2(from, to)} in order, then close every descriptor
     * above the targets. Every child of the server starts here (and the forking benchmarks'
     * children, so that they measure this spawn).
     */
    static int spawn(MemorySegment program, MemorySegment argv, MemorySegment environment, MemorySegment attributes,
                     int[][] dup2) throws Posix.PosixException {
        int closeFrom = 0;
        for (int[] d : dup2) closeFrom = Math.max(closeFrom, d[1] + 1);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment actions = call.allocate(Posix.FILE_ACTIONS_BYTES, 16);
            Posix.fileActionsInit(actions);
            try {
                for (int[] d : dup2) Posix.fileActionsDup2(actions, d[0], d[1]);
                Posix.fileActionsCloseFrom(actions, closeFrom);
                return Posix.spawn(program, actions, attributes, argv, environment);
            } finally {
                Posix.fileActionsDestroy(actions);
            }
        }
    }

    /** This JVM's class path with absolute entries, so a child finds it from any directory. */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
