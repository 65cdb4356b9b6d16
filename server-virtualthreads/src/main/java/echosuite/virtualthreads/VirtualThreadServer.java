package echosuite.virtualthreads;

import echosuite.cli.ExitPolicy;
import echosuite.cli.Version;
import echosuite.runtime.EchoServer;
import echosuite.runtime.ServerOptions;
import echosuite.runtime.ServerRunner;
import echosuite.threaded.ThreadPerConnectionServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * The virtual-thread-per-client server: {@code ./suite server virtualthreads [options]}.
 *
 * <p>The model in one line: the thread-per-client code of {@code server-threaded}, unchanged,
 * with {@code Thread.ofVirtual()} in place of {@code Thread.ofPlatform()}. Each client's
 * blocking loop (read → echo → log, {@link echosuite.runtime.BlockingConnection}) runs on a
 * virtual thread; when it blocks in {@code read}, the JDK unmounts it from its carrier (one of a
 * few platform threads) and parks it on the I/O poller, so an idle client costs
 * a parked continuation (its memory per idle connection is measured in docs/models.md)
 * instead of an OS thread.
 *
 * <p>Carriers: the JDK's default scheduler has as many as {@code availableProcessors()}, which
 * counts the CPUs the process may run on, so the server follows the CPUs it is given with nothing
 * set: 1 under {@code taskset -c 0}, 4 under {@code taskset -c 0-3} ({@code CarrierCountTest}
 * checks it). {@code -Djdk.virtualThreadScheduler.parallelism=N} sets another count.
 *
 * <p>What keeps it cheap and correct:
 * <ul>
 *   <li>no {@code synchronized} or native frame on the echo path, so a blocked client never pins
 *       its carrier (locks are {@code java.util.concurrent}; the socket is a blocking NIO channel,
 *       which virtual threads park on);</li>
 *   <li>file I/O stays off the virtual threads: records go to the platform logger thread of
 *       {@link echosuite.runtime.RecordLog}, because a file write would pin the carrier;</li>
 *   <li>the read buffer shrinks to 512 bytes on an idle connection and the framer holds no
 *       buffer between records, so thousands of idle clients stay cheap.</li>
 * </ul>
 */
@Command(name = "server-virtualthreads", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Echo-with-logging server, one virtual thread per client.",
                "Prints 'listening on HOST:PORT' when ready and a 'summary {json}' line on exit (SIGTERM/SIGINT).",
                "Virtual threads run on one carrier per CPU the process may run on (1 under taskset -c 0); "
                        + "java -Djdk.virtualThreadScheduler.parallelism=N sets another count."})
public final class VirtualThreadServer implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return ServerRunner.serve("server-virtualthreads", options, VirtualThreadServer::model);
    }

    /** The model: one virtual thread, named {@code client-N}, per client. */
    static EchoServer model(EchoServer.Context context) {
        return new ThreadPerConnectionServer(context, Thread.ofVirtual().name("client-", 1));
    }

    public static void main(String[] args) {
        ExitPolicy.main(new VirtualThreadServer(), args);
    }
}
