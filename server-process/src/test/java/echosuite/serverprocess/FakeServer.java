package echosuite.serverprocess;

import echosuite.protocol.Summary;
import sun.misc.Signal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * A stand-in server for the fixture's own tests: it behaves as the protocol asks of the start and
 * the stop ({@code listening on}, SIGTERM, {@code summary}, exit 0) and misbehaves on request.
 * It accepts connections, reports each on stderr and closes it; it echoes nothing.
 *
 * <p>Options: {@code --port P --log FILE} (the log is not written); {@code --exit N}: refuse the
 * command line, exit N before listening; {@code --ignore-sigterm}; {@code --child}: start
 * {@code sleep 600} before listening; {@code --report}: print its open-file limit and CPUs on
 * stderr before listening.
 */
public final class FakeServer {

    private static volatile long accepted;

    public static void main(String[] args) throws IOException {
        List<String> a = List.of(args);
        int port = a.contains("--port") ? Integer.parseInt(a.get(a.indexOf("--port") + 1)) : 0;
        if (a.contains("--exit")) {
            System.err.println("bad usage: told to exit");
            System.exit(Integer.parseInt(a.get(a.indexOf("--exit") + 1)));
        }
        if (a.contains("--child")) new ProcessBuilder("sleep", "600").start();
        if (a.contains("--report")) {
            var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.err.println("max open files " + os.getMaxFileDescriptorCount());
            System.err.println("cpus " + Runtime.getRuntime().availableProcessors());
        }
        Signal.handle(new Signal("TERM"), a.contains("--ignore-sigterm") ? s -> { } : s -> {
            System.out.println(Summary.format(Map.of("connectionsAccepted", accepted)));
            System.exit(0);
        });
        try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on 127.0.0.1:" + listener.getLocalPort());
            while (true) {
                try (Socket s = listener.accept()) {
                    accepted++;
                    System.err.println("connection " + accepted);
                }
            }
        }
    }
}
