package echosuite.selector;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --reactors}: one per CPU the process may run on unless given, and the help says so. */
class ReactorCountTest {

    private static SelectorServer parsed(String... args) {
        SelectorServer server = new SelectorServer();
        new CommandLine(server).parseArgs(args);
        return server;
    }

    @Test
    void theDefaultIsTheCpusThisProcessMayRunOn() {
        // availableProcessors() counts the CPUs of the process's affinity: 1 under taskset -c 0.
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.min(cpus, SelectorServer.MAX_REACTORS), SelectorServer.defaultReactors());
        assertEquals(SelectorServer.defaultReactors(), parsed().reactors);
    }

    @Test
    void anExplicitCountWins() {
        assertEquals(1, parsed("--reactors", "1").reactors);
        assertEquals(3, parsed("--reactors", "3").reactors);
    }

    @Test
    void theHelpGivesTheDefaultHere() {
        StringWriter out = new StringWriter();
        new CommandLine(new SelectorServer()).usage(new PrintWriter(out));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("(default: one per CPU this process may run on: " + SelectorServer.defaultReactors() + " here, 1 under taskset -c 0)"), help);
    }
}
