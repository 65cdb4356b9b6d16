package echosuite.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server the harness can run, by name: a project server (possibly with options, a variant), one
 * of the course's C servers ({@code course-c/}, {@link CourseCBuild}), or an anchor, a reference
 * server built from {@code ../shared/anchors} ({@link AnchorBuild}). Each starts on a free port
 * with the log file it is given and prints {@code listening on HOST:PORT}; the project's and the
 * course's servers print a {@code summary} line when they stop, the anchors do not.
 *
 * @param name        the name on the command line and in the tables, e.g. {@code forking-prefork}
 * @param origin      where its program comes from
 * @param program     project: the module's short name ({@code forking}); course C server: its
 *                    executable's name ({@code c-select}); C anchor: the binary's name
 *                    ({@code epoll_server}); Netty anchor: unused
 * @param options     the options that make it this variant, before the port and log options
 * @param description what it is, in a few words, for {@code --help} and the docs
 * @param maxClients  the most clients its model lets it serve at once on this machine kind, 0 for no
 *                    such limit (c-select: {@code select()} watches descriptors below {@code FD_SETSIZE})
 */
record ServerSpec(String name, Origin origin, String program, List<String> options, String description, int maxClients) {

    /**
     * How many clients c-select serves at once: descriptors 0 to {@code FD_SETSIZE - 1} (1024 with
     * glibc) less those the process holds besides its clients (standard streams, the listening
     * socket, the log and logger pipe, the signal pipe); {@code SelectFdSetSizeLimitTest} checks it.
     */
    static final int SELECT_MAX_CLIENTS = 1016;

    /** Where a server's program comes from, and so how it is started. */
    enum Origin {
        /** {@code server-PROGRAM/target/server-PROGRAM.jar}, started with the harness's JVM and its options. */
        PROJECT,
        /** A course C server, {@code course-c/build/PROGRAM}, which speaks the protocol's options. */
        COURSE_C,
        /** A C program of the anchors, {@code target/anchors/c/PROGRAM}. */
        C_ANCHOR,
        /** The anchors' Netty server, {@code target/anchors/netty-echo/target/netty-echo.jar}. */
        NETTY_ANCHOR
    }

    static ServerSpec project(String name, String module, List<String> options, String description) {
        return new ServerSpec(name, Origin.PROJECT, module, List.copyOf(options), description, 0);
    }

    static ServerSpec courseC(String name, String description) {
        return new ServerSpec(name, Origin.COURSE_C, name, List.of(), description, 0);
    }

    /** This server, serving at most {@code clients} at once (see {@link #maxClients}). */
    ServerSpec servingAtMost(int clients) {
        return new ServerSpec(name, origin, program, options, description, clients);
    }

    /**
     * Why {@code sc} asks more of this server than its model allows, in one sentence, or null when
     * it does not: the run still runs it (the table shows how far the server got), but its row is
     * marked "over limit" instead of failed, and takes no part in the ratios.
     */
    String overLimit(Scenario sc) {
        if (maxClients == 0 || sc.connections() <= maxClients) return null;
        return String.format(java.util.Locale.ROOT, "%s serves at most about %,d clients at once (select() watches only descriptors below"
                + " FD_SETSIZE, 1,024), fewer than the scenario's %,d: the rest are refused, as its model allows; not counted as a failure.",
                name, maxClients, sc.connections());
    }

    static ServerSpec cAnchor(String name, String binary, List<String> options, String description) {
        return new ServerSpec(name, Origin.C_ANCHOR, binary, List.copyOf(options), description, 0);
    }

    static ServerSpec nettyAnchor(String name, String description) {
        return new ServerSpec(name, Origin.NETTY_ANCHOR, "netty-echo", List.of(), description, 0);
    }

    /** Whether it prints the protocol's {@code summary} line on SIGTERM (the anchors do not). */
    boolean printsSummary() {
        return origin == Origin.PROJECT || origin == Origin.COURSE_C;
    }

    /** The concurrency models the suite compares; a server's is what {@link #model} says. */
    enum Model {
        THREAD("a thread per connection"),
        VIRTUAL_THREAD("a virtual thread per connection"),
        MULTIPLEXING("one thread multiplexing"),
        PROCESS("a process per connection");

        private final String words;

        Model(String words) {
            this.words = words;
        }

        /** The model in a few words, e.g. {@code a process per connection}. */
        String words() {
            return words;
        }
    }

    /** Its concurrency model, by the program it runs (a variant keeps its server's). */
    Model model() {
        return switch (program) {
            case "threaded", "c-thread", "thread_server" -> Model.THREAD;
            case "virtualthreads" -> Model.VIRTUAL_THREAD;
            case "forking", "c-fork", "fork_server" -> Model.PROCESS;
            case "selector", "c-select", "c-epoll", "select_server", "epoll_server", "netty-echo" -> Model.MULTIPLEXING;
            default -> throw new IllegalStateException("no model for " + program);
        };
    }

    /**
     * The course's C server of the same model, whose figures its own are divided by in the "vs C
     * twin" column: a thread per connection (platform or virtual) is {@code c-thread}, a selector
     * reactor {@code c-select}, a process per connection {@code c-fork}; variants share their
     * server's twin. Null for the C servers and the anchors, which are not compared with one.
     */
    String cTwin() {
        if (origin != Origin.PROJECT) return null;
        return switch (program) {
            case "threaded", "virtualthreads" -> "c-thread";
            case "selector" -> "c-select";
            case "forking" -> "c-fork";
            default -> null;
        };
    }

    boolean isAnchor() {
        return origin == Origin.C_ANCHOR || origin == Origin.NETTY_ANCHOR;
    }

    /** The jar or binary it runs, under {@code projectRoot}. */
    Path artifact(Path projectRoot) {
        return switch (origin) {
            case PROJECT -> projectRoot.resolve("server-" + program).resolve("target").resolve("server-" + program + ".jar");
            case COURSE_C -> CourseCBuild.executable(projectRoot, program);
            case C_ANCHOR -> AnchorBuild.cDir(projectRoot).resolve(program);
            case NETTY_ANCHOR -> AnchorBuild.nettyJar(projectRoot);
        };
    }

    /**
     * Its command line on port 0 with {@code log} as its log file. The project's servers get the
     * JVM options ({@code SUITE_JAVA_OPTS}); the Netty anchor runs on the same JVM without them,
     * as the anchors' own measurements ran it.
     */
    List<String> command(Path projectRoot, Path java, List<String> jvmOptions, Path log) {
        List<String> cmd = new ArrayList<>();
        switch (origin) {
            case PROJECT -> {
                cmd.add(java.toString());
                cmd.addAll(jvmOptions);
                cmd.addAll(List.of("-jar", artifact(projectRoot).toString()));
                cmd.addAll(options);
                cmd.addAll(List.of("--port", "0", "--log", log.toString()));
            }
            case COURSE_C -> {
                cmd.add(artifact(projectRoot).toString());
                cmd.addAll(options);
                cmd.addAll(List.of("--port", "0", "--log", log.toString()));
            }
            case C_ANCHOR -> {
                cmd.add(artifact(projectRoot).toString());
                cmd.addAll(options);
                cmd.addAll(List.of("-p", "0", "-l", log.toString()));
            }
            case NETTY_ANCHOR -> {
                cmd.addAll(List.of(java.toString(), "-jar", artifact(projectRoot).toString()));
                cmd.addAll(options);
                cmd.addAll(List.of("-p", "0", "-l", log.toString()));
            }
        }
        return cmd;
    }
}
