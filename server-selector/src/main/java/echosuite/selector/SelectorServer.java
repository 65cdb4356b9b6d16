package echosuite.selector;

import echosuite.cli.ExitPolicy;
import echosuite.cli.UsageError;
import echosuite.cli.Version;
import echosuite.runtime.ServerOptions;
import echosuite.runtime.ServerRunner;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * The selector server's command: {@code ./suite server selector [options]}.
 * The model itself is in {@link ReactorServer}; read it next.
 */
@Command(name = "server-selector", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Echo-with-logging server: non-blocking sockets on java.nio Selectors (the reactor pattern).",
                "Prints 'listening on HOST:PORT' when ready and a 'summary {json}' line on exit (SIGTERM/SIGINT)."},
        defaultValueProvider = SelectorServer.CpuCount.class)
public final class SelectorServer implements Callable<Integer> {

    /** More event loops than this would only contend for the same few cores. */
    static final int MAX_REACTORS = 256;

    @Mixin
    ServerOptions options;

    @Option(names = "--reactors", paramLabel = "N",
            description = {"Event-loop threads serving the connections (default: one per CPU this process may run on: "
                    + "${DEFAULT-VALUE} here, 1 under taskset -c 0).",
                    "1: one thread accepts and serves everything (the classic single reactor).",
                    "N > 1: an acceptor thread hands new connections round-robin to N reactor threads."})
    int reactors;

    /**
     * The default of {@code --reactors}: one reactor per CPU this process may run on
     * ({@code availableProcessors()}, which counts the CPUs its affinity allows, so
     * {@code taskset -c 0} gives 1 and {@code taskset -c 0-3} 4), at most {@link #MAX_REACTORS}.
     */
    static int defaultReactors() {
        return Math.min(Runtime.getRuntime().availableProcessors(), MAX_REACTORS);
    }

    /** Gives {@code --reactors} its default when the help is shown or the command line parsed. */
    static final class CpuCount implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec o && o.longestName().equals("--reactors") ? Integer.toString(defaultReactors()) : null;
        }
    }

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
