package echosuite.selector;

import echosuite.cli.ExitPolicy;
import echosuite.cli.UsageError;
import echosuite.cli.Version;
import echosuite.runtime.ServerOptions;
import echosuite.runtime.ServerRunner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * The selector server's command: {@code ./suite server selector [options]}.
 * The model itself is in {@link ReactorServer}; read it next.
 */
@Command(name = "server-selector", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Echo-with-logging server: non-blocking sockets on java.nio Selectors (the reactor pattern).",
                "Prints 'listening on HOST:PORT' when ready and a 'summary {json}' line on exit (SIGTERM/SIGINT)."})
public final class SelectorServer implements Callable<Integer> {

    /** More event loops than this would only contend for the same few cores. */
    static final int MAX_REACTORS = 256;

    @Mixin
    ServerOptions options;

    @Option(names = "--reactors", paramLabel = "N", defaultValue = "1",
            description = {"Event-loop threads serving the connections (default: ${DEFAULT-VALUE}).",
                    "1: one thread accepts and serves everything (the classic single reactor).",
                    "N > 1: an acceptor thread hands new connections round-robin to N reactor threads."})
    int reactors;

    @Override
    public Integer call() throws InterruptedException {
        if (reactors < 1 || reactors > MAX_REACTORS) {
            throw new UsageError("--reactors must be between 1 and " + MAX_REACTORS + ", got " + reactors + ".");
        }
        return ServerRunner.serve("server-selector", options, context -> new ReactorServer(context, reactors));
    }

    public static void main(String[] args) {
        ExitPolicy.main(new SelectorServer(), args);
    }
}
