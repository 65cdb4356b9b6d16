package echosuite.threaded;

import echosuite.cli.ExitPolicy;
import echosuite.cli.Version;
import echosuite.runtime.ServerOptions;
import echosuite.runtime.ServerRunner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * The thread-per-client server: {@code ./suite server threaded [options]}.
 *
 * <p>The model in one line: every accepted client gets its own platform thread, an OS thread
 * with its own kernel stack and scheduling, running the blocking loop read → echo → log
 * ({@link echosuite.runtime.BlockingConnection}); the accept loop is
 * {@link ThreadPerConnectionServer}. Records go through a bounded hand-off to one logger thread
 * ({@link echosuite.runtime.RecordLog}).
 *
 * <p>Cost per connection: one OS thread. Its stack is reserved at {@value #STACK_BYTES} bytes
 * (like the C anchor's 256 KiB pthread stacks; the echo loop is shallow, so only a few pages of
 * it are ever resident) plus the kernel's own thread structures. It breaks when the OS refuses
 * more threads (ulimit -u, memory): see {@link ThreadPerConnectionServer}.
 */
@Command(name = "server-threaded", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Echo-with-logging server, one platform thread per client.",
                "Prints 'listening on HOST:PORT' when ready and a 'summary {json}' line on exit (SIGTERM/SIGINT)."})
public final class ThreadedServer implements Callable<Integer> {

    /** Stack reserved per client thread. */
    static final long STACK_BYTES = 256 << 10;

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return ServerRunner.serve("server-threaded", options, context -> new ThreadPerConnectionServer(context,
                Thread.ofPlatform().name("client-", 1).stackSize(STACK_BYTES).daemon(true)));
    }

    public static void main(String[] args) {
        ExitPolicy.main(new ThreadedServer(), args);
    }
}
