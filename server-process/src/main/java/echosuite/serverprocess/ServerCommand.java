package echosuite.serverprocess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link ServerProcess} starts and the limits it runs under: the program (a runnable jar, a
 * main class on a class path, or any command line, such as an entry of the harness's server
 * catalog), its port and log file, further arguments, and how to run it (pinned to a CPU, under an
 * open-file limit, with more environment, in a working directory, for at most its life limit).
 *
 * <p>Immutable: every option returns a changed copy, so a base command can be shared.
 */
public final class ServerCommand {

    /** How long a server may take to print {@code listening on}, unless {@link #startLimit} says otherwise. */
    public static final Duration DEFAULT_START_LIMIT = Duration.ofSeconds(30);
    /** How long a server may run in all before the watchdog ends it with SIGTERM (a hung test cannot hang the build). */
    public static final Duration DEFAULT_LIFE_LIMIT = Duration.ofMinutes(3);

    /** The program that pins a command to CPUs. */
    public static final Path TASKSET = Path.of("/usr/bin/taskset");

    private Path java;                  // null: a native program
    private List<String> jvmOptions = List.of();
    private List<String> program;      // after java and its options: "-jar X.jar --prefork 8", or the native program
    private static final String PORT_OPTION = "--port";
    private static final String LOG_OPTION = "--log";
    private int port;
    private Path log;                   // null: neither port nor log is passed (arguments exactly as given)
    private List<String> args = List.of();
    private String cpus;                // taskset's CPU list; null: not pinned
    private List<String> namespacePrefix = List.of();   // ip netns exec NAME, or nothing
    private List<String> shellFirst = List.of();
    private Map<String, String> environment = Map.of();
    private Path workingDirectory;      // null: this JVM's
    private Duration startLimit = DEFAULT_START_LIMIT;
    private Duration lifeLimit = DEFAULT_LIFE_LIMIT;
    private int keptLines = Integer.MAX_VALUE;

    private ServerCommand(Path java, List<String> program) {
        this.java = java;
        this.program = List.copyOf(program);
    }

    private ServerCommand(ServerCommand other) {
        java = other.java;
        jvmOptions = other.jvmOptions;
        program = other.program;
        port = other.port;
        log = other.log;
        args = other.args;
        cpus = other.cpus;
        namespacePrefix = other.namespacePrefix;
        shellFirst = other.shellFirst;
        environment = other.environment;
        workingDirectory = other.workingDirectory;
        startLimit = other.startLimit;
        lifeLimit = other.lifeLimit;
        keptLines = other.keptLines;
    }

    /** A runnable jar, {@code java -jar JAR MODE-ARGS...}, on the JVM running this code. */
    public static ServerCommand jar(Path jar, List<String> modeArgs) {
        List<String> program = new ArrayList<>(List.of("-jar", jar.toString()));
        program.addAll(modeArgs);
        return new ServerCommand(thisJava(), program);
    }

    /** A main class on a class path: {@code java JVM-OPTIONS -cp CLASSPATH MAIN}. */
    public static ServerCommand mainClass(String classPath, String mainClass, List<String> jvmOptions) {
        return new ServerCommand(thisJava(), List.of("-cp", classPath, mainClass)).jvmOptions(jvmOptions);
    }

    /** Any command line; with a {@link #log}, it is given the project's {@code --port} and {@code --log} options. */
    public static ServerCommand of(List<String> words) {
        return new ServerCommand(null, words);
    }

    /** The {@code java} launcher for a Java server (this JVM's by default); no effect on a native one. */
    public ServerCommand java(Path launcher) {
        return change(c -> c.java = c.java == null ? null : launcher);
    }

    /** Options for a Java server's JVM, before its jar or class path; no effect on a native one. */
    public ServerCommand jvmOptions(List<String> options) {
        return change(c -> c.jvmOptions = List.copyOf(options));
    }

    /** The port to listen on (0, the default, lets the kernel choose); passed along with the {@link #log}. */
    public ServerCommand port(int listenPort) {
        return change(c -> c.port = listenPort);
    }

    /** The log file; with it, the port and log options come before {@link #args}. Without, only the arguments are passed. */
    public ServerCommand log(Path logFile) {
        return change(c -> c.log = logFile);
    }

    /** Further arguments, after the port and log. */
    public ServerCommand args(String... more) {
        return args(List.of(more));
    }

    public ServerCommand args(List<String> more) {
        return change(c -> {
            List<String> all = new ArrayList<>(c.args);
            all.addAll(more);
            c.args = List.copyOf(all);
        });
    }

    /**
     * Runs it on these CPUs only ({@code taskset -c LIST}, taskset's list syntax: {@code 0},
     * {@code 0-3}, {@code 0,2}), so that a load generator on other CPUs does not compete.
     */
    public ServerCommand pinnedTo(String cpuList) {
        return change(c -> c.cpus = cpuList);
    }

    /**
     * Runs it in the network namespace {@code name} ({@code ip netns exec NAME}, with {@code ip} at
     * {@code ipCommand}): {@code ip} enters the namespace and execs the rest, so the server keeps its pid.
     */
    public ServerCommand inNetworkNamespace(Path ipCommand, String name) {
        return change(c -> c.namespacePrefix = List.of(ipCommand.toString(), "netns", "exec", name));
    }

    /** Runs it under {@code ulimit -n maxOpenFiles}: the descriptors it may hold at once. */
    public ServerCommand openFileLimit(int maxOpenFiles) {
        return shellFirst("ulimit -n " + maxOpenFiles);
    }

    /**
     * Runs {@code command} in a shell first, in the server's own process: bash runs it and then
     * execs the server, so the server keeps bash's pid and what the command set (a limit, a cgroup
     * joined with {@code echo $$ > cgroup.procs}). The server does not start if it fails.
     */
    public ServerCommand shellFirst(String command) {
        return change(c -> {
            List<String> all = new ArrayList<>(c.shellFirst);
            all.add(command);
            c.shellFirst = List.copyOf(all);
        });
    }

    /** Variables added to the environment it inherits from this JVM. */
    public ServerCommand environment(Map<String, String> more) {
        return change(c -> {
            Map<String, String> all = new LinkedHashMap<>(c.environment);
            all.putAll(more);
            c.environment = Map.copyOf(all);
        });
    }

    public ServerCommand workingDirectory(Path dir) {
        return change(c -> c.workingDirectory = dir);
    }

    /** How long it may take to print {@code listening on}. */
    public ServerCommand startLimit(Duration limit) {
        return change(c -> c.startLimit = limit);
    }

    /** How long it may run in all; the watchdog sends SIGTERM after that. */
    public ServerCommand lifeLimit(Duration limit) {
        return change(c -> c.lifeLimit = limit);
    }

    /** Keeps only its last {@code lines} output lines (a long run's), rather than all of them. */
    public ServerCommand keepLastLines(int lines) {
        return change(c -> c.keptLines = lines);
    }

    /** The words of the command line that is started, the pinning and the shell included. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>(namespacePrefix);
        if (cpus != null) argv.addAll(List.of(TASKSET.toString(), "-c", cpus));
        if (!shellFirst.isEmpty()) {
            // "$@" is the server's command line, passed as arguments so that no word is re-parsed.
            argv.addAll(List.of("bash", "-c", String.join(" && ", shellFirst) + " && exec \"$@\"", "bash"));
        }
        if (java != null) {
            argv.add(java.toString());
            argv.addAll(jvmOptions);
        }
        argv.addAll(program);
        if (log != null) argv.addAll(List.of(PORT_OPTION, Integer.toString(port), LOG_OPTION, log.toString()));
        argv.addAll(args);
        return argv;
    }

    Map<String, String> environment() {
        return environment;
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    Duration startLimit() {
        return startLimit;
    }

    Duration lifeLimit() {
        return lifeLimit;
    }

    int keptLines() {
        return keptLines;
    }

    @Override
    public String toString() {
        return String.join(" ", argv());
    }

    private ServerCommand change(Consumer<ServerCommand> edit) {
        ServerCommand copy = new ServerCommand(this);
        edit.accept(copy);
        return copy;
    }

    private static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
