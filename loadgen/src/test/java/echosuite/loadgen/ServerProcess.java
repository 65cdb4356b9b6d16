package echosuite.loadgen;


import echosuite.protocol.Summary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real server process started from its jar for end-to-end tests: {@code --port 0} and its own
 * log file; ready when it prints {@code listening on HOST:PORT}; stopped with SIGTERM (by its
 * pid, {@link ProcessHandle#destroy}), after which its {@code summary} line is read.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon(true).name("server-output").start(this::readOutput);
    }

    /** Starts {@code java -jar jar --port 0 --log log} and waits (at most 30 s) for its listening line. */
    static ServerProcess start(Path jar, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0", "--log", log.toString())
                .redirectErrorStream(true).start();
        ServerProcess server = new ServerProcess(p);
        try {
            server.listening.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new AssertionError("the server did not print 'listening on': " + server.output, e);
        }
        return server;
    }

    String target() throws Exception {
        InetSocketAddress a = listening.get();
        return a.getHostString() + ":" + a.getPort();
    }

    InetSocketAddress address() throws Exception {
        return listening.get();
    }

    /** Sends SIGTERM, waits for the exit (at most 10 s) and returns the exit status and the summary fields. */
    Map<String, Long> stop(int[] exitStatus) throws Exception {
        // SIGTERM to this pid. Not Process.destroy(): it also closes our end of the output pipe, and
        // the summary line the server prints on its way out would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("the server did not exit within 10 s of SIGTERM");
        exitStatus[0] = process.exitValue();
        reader.join(10_000);                                 // the output ends with the process: read it all
        for (String line : output) if (line.startsWith(Summary.PREFIX)) return Summary.parse(line);
        throw new AssertionError("no summary line (exit status " + exitStatus[0] + ") in " + output);
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                if (line.startsWith("listening on ")) {
                    String hostPort = line.substring("listening on ".length()).trim();
                    int colon = hostPort.lastIndexOf(':');
                    listening.complete(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            listening.completeExceptionally(new IOException("the server's output ended"));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();                   // SIGKILL to this pid
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
