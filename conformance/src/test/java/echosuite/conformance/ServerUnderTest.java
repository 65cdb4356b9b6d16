package echosuite.conformance;

import echosuite.serverprocess.ServerCommand;
import echosuite.serverprocess.ServerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every server the kit tests, one line each: its module's short name, and extra arguments that
 * select a mode. Adding a server to the kit is adding a line here.
 */
public enum ServerUnderTest {
    THREADED("threaded"),
    VIRTUALTHREADS("virtualthreads"),
    SELECTOR("selector"),
    SELECTOR_2_REACTORS("selector", "--reactors", "2"),
    /** A JVM per client (about 40 MB resident, 0.1 s of CPU to start each): the reliability tests hold at most 32 at once.
     *  By default some of them are warm spares (--spares), started ahead of time and handed their client over SCM_RIGHTS. */
    FORKING("forking", 32),
    /** The same without spares: every child is started on accept, as echo_storeserv.c does. */
    FORKING_SPARES_0("forking", 32, "--spares", "0"),
    /** 8 preforked children serve 8 clients at once; the rest wait in the backlog, so tests that
     *  hold clients open keep two children free for the client they check. */
    FORKING_PREFORK("forking", 6, "--prefork", "8"),
    /** The course's select() echo server in C (course-c/c-select.c): one process, at most FD_SETSIZE descriptors. */
    C_SELECT("c-select"),
    /** The course's echo_storeserv.c in C (course-c/c-fork.c): a process per client (about 1 MB each), a logger child. */
    C_FORK("c-fork", 200),
    /** c-select's loop on epoll in C (course-c/c-epoll.c): no FD_SETSIZE limit. */
    C_EPOLL("c-epoll"),
    /** echo_storeserv.c with a pthread per client instead of a process (course-c/c-thread.c). */
    C_THREAD("c-thread");

    /**
     * The name used by {@code ./suite server NAME}; the jar is {@code server-NAME/target/server-NAME.jar},
     * or, for the course's C servers (names starting {@code c-}), the executable {@code course-c/build/NAME}.
     */
    public final String name;
    /** Arguments added to every start (a mode such as {@code --prefork 8}). */
    public final List<String> modeArgs;
    /**
     * How many clients a test connects at once (and the reliability tests hold open) against this server: unbounded
     * for threads and reactors; a process-per-client server says how many processes a test may
     * make it spawn on a 24 GiB machine.
     */
    public final int concurrencyLimit;

    ServerUnderTest(String name, String... modeArgs) {
        this(name, Integer.MAX_VALUE, modeArgs);
    }

    ServerUnderTest(String name, int concurrencyLimit, String... modeArgs) {
        this.name = name;
        this.concurrencyLimit = concurrencyLimit;
        this.modeArgs = List.of(modeArgs);
    }

    /**
     * The servers a run tests: all, or those named in the system property {@code echosuite.servers}
     * (a comma-separated list of enum names or server names, e.g. {@code threaded,selector}), which
     * {@code ./suite chaos --servers} and {@code ./suite test -Dechosuite.servers=...} set.
     */
    public static Stream<ServerUnderTest> selected() {
        String wanted = System.getProperty("echosuite.servers", "").strip();
        if (wanted.isEmpty()) return Arrays.stream(values());
        Set<String> names = Arrays.stream(wanted.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return Arrays.stream(values())
                .filter(s -> names.contains(s.name().toLowerCase(Locale.ROOT)) || names.contains(s.name));
    }

    /**
     * True if one process holds every client's socket, so that its descriptor limit caps the
     * clients it serves. False for the forking server: its parent closes each client's socket as
     * soon as the child serving it holds it, and each child holds one client.
     */
    public boolean holdsEveryClientSocket() {
        return !name.equals("forking") && !name.equals("c-fork");
    }

    /** True for the course's C servers (course-c/), which run as native executables built by make. */
    public boolean isCourseC() {
        return name.startsWith("c-");
    }

    /**
     * The command that starts this server with its mode arguments: {@code java -jar JAR}, or the
     * course's C executable, which {@link CourseC#executable} builds with make on first use.
     */
    private ServerCommand program() {
        if (!isCourseC()) return ServerCommand.jar(jar(), modeArgs);
        List<String> words = new java.util.ArrayList<>(List.of(CourseC.executable(name).toString()));
        words.addAll(modeArgs);
        return ServerCommand.of(words);
    }

    /** The runnable jar built by the reactor. */
    public Path jar() {
        Path root = Path.of(System.getProperty("echosuite.root", ".."));
        Path jar = root.resolve("server-" + name).resolve("target").resolve("server-" + name + ".jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the server jar " + jar + " is missing: build with ./suite build first");
        }
        return jar;
    }

    /** Starts it on {@code --port 0 --log LOG} plus {@code args} and waits until it listens. */
    public ServerProcess start(Path log, String... args) throws ServerProcess.StartFailure, InterruptedException {
        return ServerProcess.start(command(log, args));
    }

    /** As {@link #start} but on a given port (a restart on the port a killed server held). */
    public ServerProcess startOnPort(int port, Path log, String... args) throws ServerProcess.StartFailure, InterruptedException {
        return ServerProcess.start(command(log, args).port(port));
    }

    /** As {@link #start} but under {@code ulimit -n maxOpenFiles}. */
    public ServerProcess startWithOpenFileLimit(Path log, int maxOpenFiles, String... args)
            throws ServerProcess.StartFailure, InterruptedException {
        return ServerProcess.start(command(log, args).openFileLimit(maxOpenFiles));
    }

    /** As {@link #start} but for a run longer than a test's life limit allows (the long-run scenarios): killed only after {@code lifeLimit}. */
    public ServerProcess startLongRunning(Path log, Duration lifeLimit, String... args)
            throws ServerProcess.StartFailure, InterruptedException {
        return ServerProcess.start(command(log, args).lifeLimit(lifeLimit));
    }

    /** As {@link #start} but as a member of a cgroup, which it joins before the JVM starts. */
    ServerProcess startInCgroup(PidsCgroup cgroup, Path log, String... args) throws ServerProcess.StartFailure, InterruptedException {
        return ServerProcess.start(command(log, args).shellFirst("echo $$ > '" + cgroup.procs() + "'"));
    }

    /** Runs it with exactly {@code args} (a bad command line) and waits for its exit. */
    public ServerProcess.Exit runToExit(String... args) throws Exception {
        return ServerProcess.runToExit(program().args(args));
    }

    private ServerCommand command(Path log, String... args) {
        return program().log(log).args(args);
    }

    @Override
    public String toString() {
        return modeArgs.isEmpty() ? name : name + " " + String.join(" ", modeArgs);
    }
}
