package echosuite.harness;

import echosuite.cli.UsageError;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every server {@code ./suite run --servers} can run, by name, and the groups that name several
 * at once. The variants are the project's servers with the options their models are compared
 * under (docs/models.md); the anchors are the reference servers of {@code ../shared/anchors}.
 */
final class ServerCatalog {

    /** The project's four servers with their defaults, the group {@code java}: with their C twins, what a profile runs unless told otherwise ({@link Profile#servers}). */
    static final List<String> JAVA = List.of("threaded", "virtualthreads", "selector", "forking");

    private static final List<ServerSpec> SPECS = List.of(
            ServerSpec.project("threaded", "threaded", List.of(), "a platform thread per connection"),
            ServerSpec.project("virtualthreads", "virtualthreads", List.of(), "a virtual thread per connection"),
            ServerSpec.project("selector", "selector", List.of(), "NIO selector reactors, one per CPU it is given (the --reactors default): one on CPU 0"),
            ServerSpec.project("forking", "forking", List.of(), "a process per connection, 2 warm spares, AOT cache (defaults)"),
            ServerSpec.courseC("c-fork", "the course's echo_storeserv.c: fork() per connection, a logger child behind a pipe"),
            ServerSpec.courseC("c-select", "the course's select() echo server (at most FD_SETSIZE descriptors)")
                    .servingAtMost(ServerSpec.SELECT_MAX_CLIENTS),
            ServerSpec.courseC("c-epoll", "the course's select() loop on epoll"),
            ServerSpec.courseC("c-thread", "the course's pthread per connection"),
            ServerSpec.project("forking-spawn", "forking", List.of("--spares", "0"),
                    "--spares 0: a process started on accept (echo_storeserv.c)"),
            ServerSpec.project("forking-prefork", "forking", List.of("--prefork", "8"),
                    "--prefork 8: 8 processes share the listening socket"),
            ServerSpec.project("forking-noaot", "forking", List.of("--no-aot-cache"),
                    "--no-aot-cache: children start without the AOT cache"),
            ServerSpec.project("selector-2", "selector", List.of("--reactors", "2"), "--reactors 2: two selector reactors"),
            ServerSpec.cAnchor("anchor-c-fork", "fork_server", List.of(), "C, fork() per connection"),
            ServerSpec.cAnchor("anchor-c-select", "select_server", List.of(), "C, one pselect() reactor"),
            ServerSpec.cAnchor("anchor-c-epoll", "epoll_server", List.of("-t", "1"), "C, one epoll reactor (-t 1)"),
            ServerSpec.cAnchor("anchor-c-thread", "thread_server", List.of(), "C, a pthread per connection"),
            ServerSpec.nettyAnchor("anchor-netty", "Netty 4.2, one event loop thread"));

    /** Names that stand for several servers. */
    static final Map<String, List<String>> GROUPS = groups();

    private ServerCatalog() { }

    /** Every server's name, in the catalog's order. */
    static List<String> names() {
        return SPECS.stream().map(ServerSpec::name).toList();
    }

    /** Every server. */
    static List<ServerSpec> all() {
        return SPECS;
    }

    /** The server called {@code name}; a {@link UsageError} in one sentence if there is none. */
    static ServerSpec named(String name) {
        return find(name).orElseThrow(() -> new UsageError("unknown server '" + name + "'; choose from " + String.join(", ", names())
                        + ", or a group: " + String.join(", ", GROUPS.keySet()) + "."));
    }

    /**
     * The C twin of the server called {@code name} ({@link ServerSpec#cTwin}), or null when it has
     * none or is not in the catalog (a run folder written by another version of the suite).
     */
    static String cTwinOf(String name) {
        return find(name).map(ServerSpec::cTwin).orElse(null);
    }

    /** Why the server called {@code name} cannot serve {@code sc} whole ({@link ServerSpec#overLimit}), or null. */
    static String overLimit(String name, Scenario sc) {
        return find(name).map(s -> s.overLimit(sc)).orElse(null);
    }

    /** The concurrency model of the server called {@code name}, in words, or null when it is not in the catalog. */
    static String modelOf(String name) {
        return find(name).map(s -> s.model().words()).orElse(null);
    }

    /**
     * {@code servers} in the order the tables and plots show them: each server in its order, the
     * C servers of its model right after the first server of that model (threaded, c-thread,
     * virtualthreads, selector, c-select, c-epoll, forking, c-fork), so that a Java server's row
     * and bar stand next to its twin's. Names not in the catalog keep their place.
     */
    static List<String> pairedWithTwins(List<String> servers) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : servers) {
            if (!out.add(s) || isC(s)) continue;
            String model = modelOf(s);
            String twin = cTwinOf(s);
            if (twin != null && servers.contains(twin)) out.add(twin);
            for (String c : servers) {
                if (isC(c) && model != null && model.equals(modelOf(c))) out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /** Whether the server called {@code name} is a C program (a course C server or a C anchor). */
    static boolean isC(String name) {
        return find(name).map(s -> s.origin() == ServerSpec.Origin.COURSE_C || s.origin() == ServerSpec.Origin.C_ANCHOR).orElse(false);
    }

    private static java.util.Optional<ServerSpec> find(String name) {
        return SPECS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Names and group names to servers, groups expanded in place, each server once in the order first named. */
    static List<ServerSpec> resolve(List<String> namesOrGroups) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : namesOrGroups) {
            out.addAll(GROUPS.getOrDefault(n, List.of(n)));
        }
        return out.stream().map(ServerCatalog::named).toList();
    }

    /** One line per server, its name and what it runs, then the groups: for {@code ./suite run --help}. */
    static List<String> helpLines() {
        int width = SPECS.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("Servers:");
        for (ServerSpec s : SPECS) lines.add(String.format("  %-" + width + "s  %s", s.name(), s.description()));
        lines.add("Groups:");
        GROUPS.forEach((name, members) -> lines.add(String.format("  %-" + width + "s  %s", name, switch (name) {
            case "anchors" -> "the anchor-c-* servers and anchor-netty";
            case "c" -> "the course's C servers (course-c/)";
            case "anchors-c" -> "the anchor-c-* servers";
            case "all" -> "every server above";
            default -> String.join(",", members);
        })));
        return lines;
    }

    private static List<String> originOf(ServerSpec.Origin origin) {
        return SPECS.stream().filter(s -> s.origin() == origin).map(ServerSpec::name).toList();
    }

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("java", JAVA);
        g.put("c", originOf(ServerSpec.Origin.COURSE_C));
        g.put("variants", SPECS.stream().filter(s -> s.origin() == ServerSpec.Origin.PROJECT && !JAVA.contains(s.name()))
                .map(ServerSpec::name).toList());
        g.put("anchors", SPECS.stream().filter(ServerSpec::isAnchor).map(ServerSpec::name).toList());
        g.put("anchors-c", originOf(ServerSpec.Origin.C_ANCHOR));
        g.put("all", Stream.of(JAVA, g.get("c"), g.get("variants"), g.get("anchors")).flatMap(List::stream).toList());
        return Collections.unmodifiableMap(g);
    }
}
