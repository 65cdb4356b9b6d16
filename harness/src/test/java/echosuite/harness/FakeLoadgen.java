package echosuite.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import echosuite.protocol.LogVerifier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stand-in for the real load generator (issue 5) with the same command line and outputs, so the
 * harness can be developed and tested before (and independently of) it: it really talks to the
 * server (blocking sockets, one thread per connection), checks every echo byte for byte, records
 * latencies in an HdrHistogram {@link Recorder}, writes the JSON, {@code .hlog} and {@code .hgrm}
 * files, and verifies the server's log with the protocol module's {@link LogVerifier} the way the
 * real one does (after the load, while the server still runs).
 * It is deliberately simple and slow; its figures describe the fake, not the servers' limits.
 *
 * <pre>FakeLoadgen SCENARIO [-c N] [-s BYTES] [-d S] [--warmup S] [-R RATE] [--json F] [--hlog F]
 *             [--hgrm F] [--quiet] [--verify-log LOG] HOST:PORT</pre>
 */
public final class FakeLoadgen {

    private final String scenario;
    private final Map<String, String> opts;
    private final String host;
    private final int port;
    private final int connections, size, duration, warmup, rate;
    private final Recorder latency = new Recorder(3);
    private final Recorder service = new Recorder(3);
    private final LongAdder messages = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder sessions = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<Integer, ByteArrayOutputStream> sent = new ConcurrentHashMap<>();
    private final AtomicInteger nextConnection = new AtomicInteger();
    private final AtomicLong established = new AtomicLong(), failed = new AtomicLong();
    private volatile long measureFrom, measureUntil;

    private FakeLoadgen(String scenario, Map<String, String> opts, String target) {
        this.scenario = scenario;
        this.opts = opts;
        int colon = target.lastIndexOf(':');
        this.host = target.substring(0, colon);
        this.port = Integer.parseInt(target.substring(colon + 1));
        this.connections = Integer.parseInt(opts.getOrDefault("-c", "1"));
        this.size = Integer.parseInt(opts.getOrDefault("-s", "64"));
        this.duration = Integer.parseInt(opts.getOrDefault("-d", "2"));
        this.warmup = Integer.parseInt(opts.getOrDefault("--warmup", "0"));
        this.rate = Integer.parseInt(opts.getOrDefault("-R", "1000"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quiet")) continue;
            if (args[i].startsWith("-")) opts.put(args[i], args[++i]);
            else positional.add(args[i]);
        }
        FakeLoadgen g = new FakeLoadgen(positional.get(0), opts, positional.get(1));
        System.exit(g.run());
    }

    private int run() throws Exception {
        long start = System.nanoTime();
        measureFrom = start + warmup * 1_000_000_000L;
        measureUntil = measureFrom + duration * 1_000_000_000L;
        Histogram total = new Histogram(3);
        HistogramLogWriter hlog = opts.containsKey("--hlog") ? new HistogramLogWriter(opts.get("--hlog")) : null;
        if (hlog != null) {
            hlog.outputLogFormatVersion();
            hlog.outputStartTime(System.currentTimeMillis());
            hlog.outputLegend();
        }
        List<Thread> threads = new ArrayList<>();
        List<Socket> held = new ArrayList<>();
        switch (scenario) {
            case "hold" -> {
                for (int i = 0; i < connections; i++) {
                    try {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(host, port), 5000);
                        held.add(s);
                        established.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        error(e);
                    }
                }
                measureFrom = System.nanoTime();
                measureUntil = measureFrom + duration * 1_000_000_000L;
                threads.add(Thread.ofPlatform().start(this::pingpong));
            }
            case "churn" -> { for (int i = 0; i < connections; i++) threads.add(Thread.ofPlatform().start(this::churn)); }
            default -> { for (int i = 0; i < connections; i++) threads.add(Thread.ofPlatform().start(this::pingpong)); }
        }
        // One interval per second into the .hlog, as the real load generator does.
        long intervalStart = System.currentTimeMillis();
        while (threads.stream().anyMatch(Thread::isAlive)) {
            for (Thread t : threads) t.join(Math.max(1, 1000 - (System.currentTimeMillis() - intervalStart)));
            if (System.currentTimeMillis() - intervalStart >= 1000 || threads.stream().noneMatch(Thread::isAlive)) {
                Histogram h = latency.getIntervalHistogram();
                total.add(h);
                if (hlog != null && h.getTotalCount() > 0) hlog.outputIntervalHistogram(h);
                intervalStart = System.currentTimeMillis();
            }
        }
        for (Socket s : held) s.close();
        if (hlog != null) hlog.close();

        LogVerifier.Report report = null;
        if (opts.containsKey("--verify-log")) {
            // As the real load generator does: every connection is closed, and a running server
            // writes each record within 100 ms, so wait (on file events, bounded) for the log to
            // hold every record sent, then verify it.
            List<List<byte[]>> expected = new ArrayList<>();
            long records = 0;
            for (int c = 0; c < nextConnection.get(); c++) {
                ByteArrayOutputStream b = sent.get(c);
                List<byte[]> r = b == null ? List.of() : LogVerifier.expectedRecords(b.toByteArray(), 65536);
                expected.add(r);
                records += r.size();
            }
            Path log = Path.of(opts.get("--verify-log"));
            awaitRecords(log, records, 10_000);
            report = LogVerifier.verify(log, expected);
            System.out.println(report);
        }
        write(total, report);
        return report == null || report.ok() ? 0 : 1;
    }

    /** Waits until {@code log} has {@code records} newlines, on file-change events, at most {@code maxMillis}. */
    private static void awaitRecords(Path log, long records, long maxMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + maxMillis;
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            log.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            while (newlines(log) < records) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) return;
                WatchKey key = watch.poll(left, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    private static long newlines(Path log) throws IOException {
        if (!Files.exists(log)) return 0;
        long n = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(log), 1 << 16)) {
            int b;
            while ((b = in.read()) >= 0) if (b == '\n') n++;
        }
        return n;
    }

    /** Closed loop on one connection until the measured time is over. */
    private void pingpong() {
        int id = nextConnection.getAndIncrement();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        sent.put(id, log);
        long interval = scenario.equals("rate") ? Math.max(1, 1_000_000_000L * connections / rate) : 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            long intended = System.nanoTime();
            for (long seq = 0; ; seq++) {
                long now = System.nanoTime();
                if (now >= measureUntil) break;
                if (interval > 0) {
                    intended += interval;
                    while ((now = System.nanoTime()) < intended) Thread.onSpinWait();
                } else {
                    intended = now;
                }
                if (!exchange(s, message(id, seq), log, intended, now)) break;
            }
        } catch (IOException e) {
            error(e);
        }
    }

    /** Connect, three messages, close, over and over. */
    private void churn() {
        while (System.nanoTime() < measureUntil) {
            int id = nextConnection.getAndIncrement();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            sent.put(id, log);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                for (int k = 0; k < 3; k++) {
                    long now = System.nanoTime();
                    if (!exchange(s, message(id, k), log, now, now)) return;
                }
            } catch (IOException e) {
                error(e);
                return;
            }
            if (System.nanoTime() >= measureFrom) sessions.increment();
        }
    }

    /** Sends one message, reads its echo, checks it; records latency inside the measured window. */
    private boolean exchange(Socket s, byte[] msg, ByteArrayOutputStream log, long intended, long sentAt) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        Thread writer = null;
        if (msg.length > 16384) {                   // large messages: write while reading the echo
            writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(msg);
                } catch (IOException e) {
                    error(e);
                }
            });
        } else {
            out.write(msg);
        }
        byte[] echo = in.readNBytes(msg.length);
        long done = System.nanoTime();
        if (writer != null) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.write(msg);
        messagesSent.increment();
        if (echo.length < msg.length) {
            errors.computeIfAbsent("closedEarly", k -> new LongAdder()).increment();
            return false;
        }
        if (!Arrays.equals(echo, msg)) errors.computeIfAbsent("mismatch", k -> new LongAdder()).increment();
        if (sentAt >= measureFrom && done <= measureUntil) {
            latency.recordValue(done - intended);
            service.recordValue(done - sentAt);
            messages.increment();
        }
        return true;
    }

    /** "c12-s345-" padded with 'x' to size - 1, then '\n'. */
    private byte[] message(int connection, long seq) {
        byte[] m = new byte[size];
        Arrays.fill(m, (byte) 'x');
        byte[] head = ("c" + connection + "-s" + seq + "-").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, m, 0, Math.min(head.length, size - 1));
        m[size - 1] = '\n';
        return m;
    }

    private void error(IOException e) {
        String kind = e instanceof java.net.ConnectException ? "refused"
                : e instanceof java.net.SocketTimeoutException ? "timeout" : "reset";
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private void write(Histogram total, LogVerifier.Report report) throws IOException {
        double seconds = duration;
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("fake", true);
        o.put("scenario", scenario);
        o.put("connections", connections);
        o.put("messageBytes", size);
        o.put("messages", messages.sum());
        o.put("messagesSent", messagesSent.sum());
        o.put("messagesPerSecond", messages.sum() / seconds);
        o.put("mibPerSecond", messages.sum() * (double) size / seconds / (1024 * 1024));
        putPercentiles(o.putObject("latencyUs"), total);
        if (scenario.equals("rate")) putPercentiles(o.putObject("serviceTimeUs"), service.getIntervalHistogram());
        if (scenario.equals("churn")) o.put("connectionsPerSecond", sessions.sum() / seconds);
        if (scenario.equals("hold")) {
            o.put("established", established.get());
            o.put("failed", failed.get());
        }
        ObjectNode e = o.putObject("errors");
        for (String k : List.of("mismatch", "reset", "timeout", "refused", "closedEarly")) {
            e.put(k, errors.getOrDefault(k, new LongAdder()).sum());
        }
        if (report != null) {
            o.put("logVerified", report.ok());
            o.put("logReport", report.toString());
        }
        if (opts.containsKey("--json")) json.writerWithDefaultPrettyPrinter().writeValue(Path.of(opts.get("--json")).toFile(), o);
        if (opts.containsKey("--hgrm")) {
            try (PrintStream p = new PrintStream(opts.get("--hgrm"))) {
                total.outputPercentileDistribution(p, 1000.0);
            }
        }
    }

    private static void putPercentiles(ObjectNode o, Histogram h) {
        o.put("p50", h.getValueAtPercentile(50) / 1000.0);
        o.put("p90", h.getValueAtPercentile(90) / 1000.0);
        o.put("p99", h.getValueAtPercentile(99) / 1000.0);
        o.put("p999", h.getValueAtPercentile(99.9) / 1000.0);
        o.put("max", h.getMaxValue() / 1000.0);
    }
}
