package echosuite.conformance;

import echosuite.protocol.SequencedMessage;
import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The long-run scenarios: a server that has served tens of thousands of connections, or ten
 * minutes of steady load, must hold what it held before (descriptors, threads, processes,
 * memory), leave no zombie, idle without spinning, and have logged every message exactly once.
 *
 * <p>They take long (about 12 minutes per server with the defaults), so {@code ./suite test}
 * leaves them out (tag {@value #TAG}); {@code ./suite chaos --profile full} runs them. Scale:
 * {@code -Dechosuite.longRun.connections=N} (churn; default 20,000, forking 1,000) and
 * {@code -Dechosuite.longRun.seconds=S} (the rate run; default 600).
 *
 * <p>How "back to baseline" is judged. The baseline is read after a warm-up (so the JIT, the heap
 * and the thread pools have settled), the second reading after the load, once the
 * server holds no connection and its counts have come back (bounded wait: a leak fails it, a
 * slow return does not). Each reading follows a full GC ({@code jcmd PID GC.run}), so the live
 * heap, not the garbage of the last second, is compared. Tolerances, and why:
 * <ul>
 *   <li>processes: exactly the baseline, and no zombie (the forking server reaps every child);</li>
 *   <li>descriptors: at most {@value #FD_SLACK} more (the JDK opens a few files lazily, e.g. for
 *       a class first loaded late); a leak per connection would show as thousands;</li>
 *   <li>threads: at most {@value #THREAD_SLACK} more (the JIT adds and retires compiler threads,
 *       the virtual-thread scheduler keeps spare carriers for a while);</li>
 *   <li>live heap after a full GC: at most {@value #HEAP_SLACK_MIB} MiB more;</li>
 *   <li>RSS: at most 25% + {@value #RSS_SLACK_MIB} MiB more. A JVM keeps heap it once grew into,
 *       so RSS is a coarse signal; the live heap is the fine one, RSS catches native leaks.</li>
 * </ul>
 */
@Tag(LongRunReliabilityTest.TAG)
class LongRunReliabilityTest {

    static final String TAG = "long";
    static final int FD_SLACK = 4;
    static final int THREAD_SLACK = 6;
    static final int HEAP_SLACK_MIB = 8;
    static final int RSS_SLACK_MIB = 32;
    /** Two baseline readings agree on RSS when they differ by at most this (KiB). */
    static final int RSS_STEADY_KIB = 1024;
    /** Bytes per message: the load generator's default. */
    static final int MESSAGE = 64;
    /** Messages per second in the rate run, all connections together: steady, well below any server's limit. */
    static final int RATE = 1_000;

    @TempDir
    Path dir;

    @ForEachServer
    void connectionChurnLeavesDescriptorsThreadsProcessesAndLiveHeapAtBaselineAndNoZombie(ServerUnderTest server,
                                                                                            TestInfo test) throws Exception {
        // A JVM per connection costs about 0.1 s of CPU to start: the forking server churns at most 1,000.
        int connections = Integer.getInteger("echosuite.longRun.connections", 20_000);
        if (server.name.equals("forking")) connections = Math.min(connections, 1_000);
        String name = test.getTestMethod().orElseThrow().getName();
        Path log = dir.resolve("log.txt");
        try (ServerProcess p = server.startLongRunning(log, Duration.ofMinutes(15))) {
            long warmUp = churn(p.port(), Math.min(connections / 10, 500), loops(server), 0);
            ProcessTree.Usage baseline = settled(server, p, null);
            long baselineHeap = liveHeapKiB(server, p.pid());
            long t0 = System.nanoTime();
            long churned = churn(p.port(), connections, loops(server), warmUp);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ProcessTree.Usage after = settled(server, p, baseline);
            Figures.record(name, server, "connections", churned);
            Figures.record(name, server, "connections/s", Math.round(churned / seconds));
            judge(name, server, p, baseline, baselineHeap, after, warmUp + churned);
        }
    }

    @ForEachServer
    void aLongRateRunLeavesDescriptorsThreadsProcessesAndLiveHeapAtBaselineAndLogsEveryMessage(ServerUnderTest server,
                                                                                              TestInfo test) throws Exception {
        int seconds = Integer.getInteger("echosuite.longRun.seconds", 600);
        int connections = Math.min(16, server.concurrencyLimit);
        String name = test.getTestMethod().orElseThrow().getName();
        Path log = dir.resolve("log.txt");
        try (ServerProcess p = server.startLongRunning(log, Duration.ofSeconds(seconds).plusMinutes(5))) {
            long warmUp = churn(p.port(), 200, Math.min(connections, 8), 0);
            ProcessTree.Usage baseline = settled(server, p, null);
            long baselineHeap = liveHeapKiB(server, p.pid());
            long sent = rateRun(p.port(), connections, seconds);
            ProcessTree.Usage after = settled(server, p, baseline);
            Figures.record(name, server, "seconds", seconds);
            Figures.record(name, server, "messages", sent);
            judge(name, server, p, baseline, baselineHeap, after, warmUp + sent);
        }
    }

    /** Concurrent loops at once: the forking server's children each cost a JVM. */
    private static int loops(ServerUnderTest server) {
        return Math.min(8, server.concurrencyLimit);
    }

    /**
     * {@code count} connections by {@code loops} concurrent loops, each connecting, sending one
     * message, checking its echo byte for byte, half-closing, reading the server's close. Loop
     * {@code i} connects from 127.0.0.(2+i), so client ports in TIME_WAIT never run out.
     *
     * @return messages sent (one per connection; every one was echoed)
     */
    private static long churn(int port, int count, int loops, long firstId) throws Exception {
        AtomicLong next = new AtomicLong();
        List<Future<Void>> done = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(loops)) {
            for (int i = 0; i < loops; i++) {
                InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)});
                done.add(pool.submit(() -> {
                    byte[] message = new byte[MESSAGE];
                    for (long n; (n = next.getAndIncrement()) < count; ) oneSession(port, source, firstId + n, message);
                    return null;
                }));
            }
            for (Future<Void> f : done) f.get(15, TimeUnit.MINUTES);
        }
        return count;
    }

    private static void oneSession(int port, InetAddress source, long id, byte[] message) throws IOException {
        SequencedMessage.fill(message, MESSAGE, id, 0);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.setSoTimeout(EchoClient.READ_TIMEOUT_MILLIS);
            s.getOutputStream().write(message);
            InputStream in = s.getInputStream();
            byte[] echo = in.readNBytes(MESSAGE);
            if (!Arrays.equals(message, echo)) {
                throw new AssertionError("connection " + id + ": echo differs from what was sent: " + new String(echo));
            }
            s.shutdownOutput();
            int eof = in.read();
            if (eof != -1) throw new AssertionError("connection " + id + ": a byte after the echo, expected the server's close");
        }
    }

    /** Runs the load generator's open-loop {@code rate} scenario; returns the messages it sent. */
    private long rateRun(int port, int connections, int seconds) throws Exception {
        Path root = Path.of(System.getProperty("echosuite.root", ".."));
        Path jar = root.resolve("loadgen/target/loadgen.jar").normalize();
        Path json = dir.resolve("rate.json");
        Path out = dir.resolve("loadgen.out");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "rate", "-R", Integer.toString(RATE), "-c", Integer.toString(connections), "-s", Integer.toString(MESSAGE),
                "-d", seconds + "s", "--warmup", "0", "--json", json.toString(), "-q", "127.0.0.1:" + port);
        Process loadgen = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!loadgen.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
                throw new AssertionError("the load generator did not finish within " + (seconds + 120) + " s");
            }
        } finally {
            if (loadgen.isAlive()) loadgen.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String result = Files.exists(json) ? Files.readString(json) : "";
        assertEquals(0, loadgen.exitValue(), "load generator: " + Files.readString(out) + result);
        Matcher errors = Pattern.compile("\"errors\" : \\{([^}]*)}").matcher(result);
        assertTrue(errors.find(), "no error counts in " + json);
        assertTrue(errors.group(1).replaceAll("[^0-9]", "").chars().allMatch(c -> c == '0'),
                "the load generator saw errors: " + errors.group(1).strip());
        Matcher sent = Pattern.compile("\"messagesSent\" : (\\d+)").matcher(result);
        assertTrue(sent.find(), "no messagesSent in " + json);
        return Long.parseLong(sent.group(1));
    }

    /**
     * Waits (at most 90 s) until the server holds no connection, and then, for the baseline, until
     * two readings half a second apart agree on processes, threads and descriptors (a prefork
     * server may still be replacing children); given a baseline, until processes are back to it
     * and descriptors and threads within their slack. Each reading follows a full GC. A reading
     * that never settles is returned as it is, for {@link #judge} to fail with.
     */
    private static ProcessTree.Usage settled(ServerUnderTest server, ServerProcess p, ProcessTree.Usage baseline) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        ProcessTree.Usage previous = null;
        ProcessTree.Usage u = ProcessTree.usage(p.pid());
        while (System.nanoTime() < deadline) {
            if (!server.isCourseC()) fullGc(p.pid());            // a C server has no garbage collector
            u = ProcessTree.usage(p.pid());
            boolean idle = ProcessTree.connectionsOn(p.port()) == 0 && u.zombies() == 0;
            // G1 gives the heap a full GC shrank back to the OS concurrently, within a second or two:
            // RSS read at once after the GC still counts it (seen: 145 MiB, then 74 MiB a second later).
            boolean steady = baseline == null
                    ? previous != null && u.processes() == previous.processes() && u.threads() == previous.threads()
                            && u.fds() == previous.fds() && Math.abs(u.rssKiB() - previous.rssKiB()) <= RSS_STEADY_KIB
                    : u.processes() <= baseline.processes() && u.fds() <= baseline.fds() + FD_SLACK
                            && u.threads() <= baseline.threads() + THREAD_SLACK && rssWithinSlack(baseline, u);
            if (idle && steady) return u;
            previous = idle ? u : null;
            Thread.sleep(500);   // a poll interval, not synchronisation: the conditions above decide
        }
        return u;
    }

    private static boolean rssWithinSlack(ProcessTree.Usage baseline, ProcessTree.Usage after) {
        return after.rssKiB() <= baseline.rssKiB() * 5 / 4 + RSS_SLACK_MIB * 1024;
    }

    /** {@code jcmd PID GC.run}: a full collection, so that readings compare live data. */
    private static void fullGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
    }

    /**
     * Live heap after the last full GC, KiB, from {@code jcmd PID GC.heap_info} ("used NNNK"); -1 for
     * the course's C servers, which have no Java heap: their leaks show in RSS, which is judged.
     */
    private static long liveHeapKiB(ServerUnderTest server, long pid) throws Exception {
        if (server.isCourseC()) return -1;
        String out = jcmd(pid, "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(out);
        if (!used.find()) throw new AssertionError("no heap figure in jcmd GC.heap_info: " + out);
        return Long.parseLong(used.group(1));
    }

    /** Runs {@code jcmd PID COMMAND} (at most 60 s) and returns what it printed. */
    private static String jcmd(long pid, String command) throws Exception {
        Path out = Files.createTempFile("jcmd", ".txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("jcmd " + pid + " " + command + " did not finish within 60 s");
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private void judge(String name, ServerUnderTest server, ServerProcess p, ProcessTree.Usage baseline, long baselineHeapKiB,
                       ProcessTree.Usage after, long messages) throws Exception {
        long heapAfter = liveHeapKiB(server, p.pid());
        double cpuAtRest = ProcessTree.cpuShare(p.pid(), Duration.ofSeconds(1));
        ServerProcess.Exit exit = p.terminate(Duration.ofSeconds(10));
        Map<String, Long> summary = exit.summary();
        Figures.record(name, server, "baseline", baseline);
        Figures.record(name, server, "after", after);
        Figures.record(name, server, "RSS growth MiB", (after.rssKiB() - baseline.rssKiB()) / 1024);
        Figures.record(name, server, "live heap MiB before/after", server.isCourseC() ? "none (a C process: RSS is judged)"
                : baselineHeapKiB / 1024 + "/" + heapAfter / 1024);
        Figures.record(name, server, "CPU at rest %", Math.round(cpuAtRest * 100));
        Figures.record(name, server, "records lost", messages - summary.getOrDefault("recordsLogged", 0L));
        String readings = "baseline: " + baseline + "; after: " + after;
        assertEquals(0, exit.status(), "stderr " + exit.stderr());
        assertEquals(messages, summary.get("recordsLogged"), "every message sent is logged once: " + summary);
        assertEquals(0L, summary.getOrDefault("errors", 0L), "errors: " + summary);
        assertEquals(0L, summary.getOrDefault("recordsLost", 0L), "records lost: " + summary);
        assertEquals(0, after.zombies(), "zombies: " + readings);
        assertEquals(baseline.processes(), after.processes(), "processes: " + readings);
        assertTrue(after.fds() <= baseline.fds() + FD_SLACK, "descriptors: " + readings);
        assertTrue(after.threads() <= baseline.threads() + THREAD_SLACK, "threads: " + readings);
        assertTrue(rssWithinSlack(baseline, after), "RSS: " + readings);
        // The live-heap rule applies to a JVM only; a C server's leaks are judged by RSS (above).
        if (!server.isCourseC()) assertTrue(heapAfter <= baselineHeapKiB + HEAP_SLACK_MIB * 1024,
                "live heap after a full GC: " + baselineHeapKiB / 1024 + " MiB before, " + heapAfter / 1024 + " MiB after");
        assertTrue(cpuAtRest < 0.25, "the idle server uses " + Math.round(cpuAtRest * 100) + "% of a CPU: a spin");
    }
}
