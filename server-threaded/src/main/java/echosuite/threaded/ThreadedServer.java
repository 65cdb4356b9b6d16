package echosuite.threaded;

import echosuite.protocol.ServerOptions;
import echosuite.protocol.ServerRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * The thread-per-client server's command: {@code ./suite server threaded [options]}.
 * The model itself is in {@link ThreadPerClientServer}.
 */
@Command(name = "server-threaded", mixinStandardHelpOptions = true, versionProvider = ServerRunner.Version.class,
        description = {"Echo-with-logging server, one platform thread per client.",
                "Prints 'listening on HOST:PORT' when ready and a 'summary {json}' line on exit (SIGTERM/SIGINT)."})
public final class ThreadedServer implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return ServerRunner.serve("server-threaded", options, ThreadPerClientServer::new);
    }

    public static void main(String[] args) {
        ServerRunner.main(new ThreadedServer(), args);
    }
}
