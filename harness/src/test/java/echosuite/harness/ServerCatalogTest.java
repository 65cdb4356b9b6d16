package echosuite.harness;

import echosuite.cli.UsageError;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server names to command lines, groups to servers, and the sentence for a name that is none. */
class ServerCatalogTest {

    private static final Path ROOT = Path.of("/p");
    private static final Path JAVA = Path.of("/jdk/bin/java");
    private static final Path LOG = Path.of("/tmp/x.log");

    private static List<String> command(String name) {
        return ServerCatalog.named(name).command(ROOT, JAVA, List.of("-Xmx1g"), LOG);
    }

    @Test
    void aProjectServerRunsItsJarWithTheJvmOptionsOnPortZero() {
        assertEquals(List.of("/jdk/bin/java", "-Xmx1g", "-jar", "/p/server-threaded/target/server-threaded.jar",
                "--port", "0", "--log", "/tmp/x.log"), command("threaded"));
        assertTrue(ServerCatalog.named("threaded").printsSummary());
    }

    @Test
    void aVariantIsItsModulesJarWithItsOptionsBeforePortAndLog() {
        assertEquals(List.of("/jdk/bin/java", "-Xmx1g", "-jar", "/p/server-forking/target/server-forking.jar",
                "--prefork", "8", "--port", "0", "--log", "/tmp/x.log"), command("forking-prefork"));
        assertEquals(List.of("--spares", "0"), ServerCatalog.named("forking-spawn").options());
        assertEquals(List.of("--no-aot-cache"), ServerCatalog.named("forking-noaot").options());
        assertEquals(List.of("--reactors", "2"), ServerCatalog.named("selector-2").options());
    }

    @Test
    void anAnchorRunsFromTargetAnchorsWithTheAnchorsOptionsAndPrintsNoSummary() {
        assertEquals(List.of("/p/target/anchors/c/epoll_server", "-t", "1", "-p", "0", "-l", "/tmp/x.log"), command("anchor-c-epoll"));
        assertEquals(List.of("/p/target/anchors/c/fork_server", "-p", "0", "-l", "/tmp/x.log"), command("anchor-c-fork"));
        assertEquals(List.of("/p/course-c/build/c-select", "--port", "0", "--log", "/tmp/x.log"), command("c-select"),
                "a course C server takes the protocol's options, without a JVM");
        assertEquals(List.of("/jdk/bin/java", "-jar", "/p/target/anchors/netty-echo/target/netty-echo.jar", "-p", "0", "-l", "/tmp/x.log"),
                command("anchor-netty"), "the Netty anchor runs as the anchors ran it: without the project's JVM options");
        assertFalse(ServerCatalog.named("anchor-c-select").printsSummary());
    }

    @Test
    void groupsExpandInPlaceAndEachServerComesOnce() {
        assertEquals(List.of("threaded", "virtualthreads", "selector", "forking"),
                ServerCatalog.resolve(List.of("java")).stream().map(ServerSpec::name).toList());
        assertEquals(List.of("anchor-c-thread", "threaded", "virtualthreads", "selector", "forking"),
                ServerCatalog.resolve(List.of("anchor-c-thread", "threaded", "java")).stream().map(ServerSpec::name).toList());
        assertEquals(List.of("c-fork", "c-select", "c-epoll", "c-thread"),
                ServerCatalog.resolve(List.of("c")).stream().map(ServerSpec::name).toList(), "c: the course's C servers");
        assertEquals(List.of("anchor-c-fork", "anchor-c-select", "anchor-c-epoll", "anchor-c-thread"),
                ServerCatalog.resolve(List.of("anchors-c")).stream().map(ServerSpec::name).toList());
        assertEquals(ServerCatalog.names(), ServerCatalog.resolve(List.of("all")).stream().map(ServerSpec::name).toList(),
                "all: every server of the catalog");
    }

    @Test
    void theHelpListsEveryServerWithWhatItRunsAndTheGroups() {
        List<String> help = ServerCatalog.helpLines();
        for (ServerSpec s : ServerCatalog.all()) {
            assertTrue(help.stream().anyMatch(l -> l.startsWith("  " + s.name() + " ") && l.endsWith(s.description())), s.name());
        }
        assertTrue(help.contains("  forking-prefork  --prefork 8: 8 processes share the listening socket"), String.join("\n", help));
        assertTrue(help.stream().anyMatch(l -> l.startsWith("  java ") && l.endsWith("threaded,virtualthreads,selector,forking")));
    }

    @Test
    void anUnknownNameIsOneSentenceListingTheNames() {
        UsageError e = assertThrows(UsageError.class, () -> ServerCatalog.resolve(List.of("selector", "nginx")));
        assertTrue(e.getMessage().startsWith("unknown server 'nginx'; choose from threaded, virtualthreads, selector, forking, c-fork,"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(", or a group: java, c, variants, anchors, anchors-c, all."), e.getMessage());
    }

    @Test
    void eachJavaServerAndVariantHasItsModelsCTwinAndTheCServersHaveNone() {
        assertEquals(List.of("c-thread", "c-thread", "c-select", "c-fork"),
                ServerCatalog.JAVA.stream().map(ServerCatalog::cTwinOf).toList());
        assertEquals("c-fork", ServerCatalog.cTwinOf("forking-prefork"));
        assertEquals("c-select", ServerCatalog.cTwinOf("selector-2"));
        for (String c : List.of("c-fork", "c-select", "c-epoll", "c-thread", "anchor-c-select", "anchor-netty")) {
            assertEquals(null, ServerCatalog.cTwinOf(c), c);
        }
        assertEquals(null, ServerCatalog.cTwinOf("a-server-of-another-version"), "a name not in the catalog has no twin");
        assertTrue(ServerCatalog.GROUPS.get("c").containsAll(ServerCatalog.JAVA.stream().map(ServerCatalog::cTwinOf).toList()),
                "every twin is a server of the group c, which the profiles run");
    }

    @Test
    void cSelectIsOverItsLimitBeyondWhatSelectWatchesAndNoOtherServerIs() {
        Scenario within = Scenario.hold(ServerSpec.SELECT_MAX_CLIENTS), beyond = Scenario.hold(2000);
        assertEquals(null, ServerCatalog.overLimit("c-select", within));
        String why = ServerCatalog.overLimit("c-select", beyond);
        assertTrue(why.startsWith("c-select serves at most about 1,016 clients at once") && why.contains("FD_SETSIZE")
                && why.contains("2,000"), why);
        for (String other : List.of("c-epoll", "c-fork", "c-thread", "selector", "forking")) {
            assertEquals(null, ServerCatalog.overLimit(other, beyond), other);
        }
    }

    @Test
    void theVariantCommandPrintsAVariantsServerAndOptionsForTheSuiteScript() {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            status = Harness.commandLine().execute("variant", "forking-prefork");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, status);
        assertEquals(List.of("forking", "--prefork", "8"), printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());

        var cli = Harness.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setOut(new java.io.PrintWriter(out, true));
        assertEquals(2, cli.execute("variant", "anchor-netty"));
        assertTrue(err.toString().contains("'anchor-netty' is an anchor, which ./suite run starts, not ./suite server; ./suite server starts "
                + "threaded, virtualthreads, selector, forking, c-fork, c-select, c-epoll, c-thread, forking-spawn,"), err.toString());
        assertEquals(2, cli.execute("variant", "nginx"));
        assertTrue(err.toString().contains("suite: unknown server 'nginx'; ./suite server starts threaded,"), err.toString());
    }

    @Test
    void theSuiteScriptsHelpNamesEveryVariant() throws java.io.IOException {
        String script = java.nio.file.Files.readString(Path.of("..", "suite"));
        for (String variant : ServerCatalog.GROUPS.get("variants")) {
            assertTrue(script.contains(variant), "./suite --help names " + variant + " (./suite server starts it)");
        }
    }

    @Test
    void everyServerHasAModelAndTwinsShareTheirs() {
        for (ServerSpec s : ServerCatalog.all()) assertTrue(ServerCatalog.modelOf(s.name()) != null, s.name());
        assertEquals("one thread multiplexing", ServerCatalog.modelOf("c-epoll"));
        assertEquals(ServerCatalog.modelOf("c-select"), ServerCatalog.modelOf("selector-2"));
        assertEquals(ServerCatalog.modelOf("c-fork"), ServerCatalog.modelOf("forking-prefork"));
        assertEquals(ServerCatalog.modelOf("c-thread"), ServerCatalog.modelOf("threaded"));
        assertEquals("a virtual thread per connection", ServerCatalog.modelOf("virtualthreads"),
                "virtual threads are a model of their own, though their C twin is c-thread");
    }

    @Test
    void tablesShowEachJavaServerNextToTheCServersOfItsModel() {
        assertEquals(List.of("threaded", "c-thread", "virtualthreads", "selector", "c-select", "c-epoll", "forking", "c-fork"),
                ServerCatalog.pairedWithTwins(List.of("threaded", "virtualthreads", "selector", "forking", "c-fork", "c-select", "c-epoll", "c-thread")));
        assertEquals(List.of("c-select", "selector", "from-elsewhere"), ServerCatalog.pairedWithTwins(List.of("c-select", "selector", "from-elsewhere")),
                "a C server named first keeps its place; an unknown name keeps its own");
        assertEquals(List.of("forking-prefork", "c-fork", "selector-2"), ServerCatalog.pairedWithTwins(List.of("forking-prefork", "selector-2", "c-fork")));
    }
}
