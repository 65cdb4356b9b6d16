package echosuite.forking;

import echosuite.cli.ExitPolicy;
import echosuite.cli.UsageError;
import echosuite.cli.Version;
import echosuite.forking.prefork.PreforkServer;
import echosuite.runtime.ServerOptions;
import echosuite.runtime.ServerRunner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * The forking server's command: {@code ./suite server forking [options]}. The parent process's
 * model is {@link ProcessPerClientServer} (or {@link PreforkServer} with {@code --prefork});
 * the children are {@link HandlerProcess} and {@link LoggerProcess}.
 */
@Command(name = "server-forking", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Echo-with-logging server, one child process per client and a logger process behind a pipe (echo_storeserv.c).",
                "Prints 'listening on HOST:PORT' when ready and a 'summary {json}' line on exit (SIGTERM/SIGINT)."})
public final class ForkingServer implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Mixin
    ForkingOptions forking;

    @Override
    public Integer call() throws InterruptedException {
        String problem = forking.problem();
        if (problem != null) throw new UsageError(problem);
        return ServerRunner.serve("server-forking", options, context -> forking.prefork > 0
                ? new PreforkServer(context, forking)
                : new ProcessPerClientServer(context, forking));
    }

    public static void main(String[] args) {
        ExitPolicy.main(new ForkingServer(), args);
    }
}
