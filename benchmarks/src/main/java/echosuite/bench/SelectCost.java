package echosuite.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one {@link Selector#select()} and the handling of its one ready key, with 1, 1,000
 * or 10,000 idle channels registered beside it: does a reactor's loop get slower as it holds
 * more idle connections? With C's {@code select()} it would (the kernel scans every descriptor
 * up to the highest, and so does the caller); the JDK's Linux selector is built on
 * {@code epoll}, whose wait returns only ready descriptors.
 *
 * <p>Measured: average nanoseconds per select + handle. The ready channel is the source of a
 * {@link Pipe} with one byte in it that is never read, so it stays ready (epoll is
 * level-triggered) and every select returns at once; "handle" is the reactor's bookkeeping for
 * the ready key (check its ready set, clear the selected set), not a read, whose cost does
 * not depend on the number of channels. Expect about a microsecond, nearly the same for 1 and
 * 10,000 idle channels.
 *
 * <p>Idle channels are unbound UDP sockets registered for reading: to epoll a registered socket
 * with nothing to read costs the same whatever its protocol, and one descriptor per channel
 * (an idle TCP connection needs two in one process) keeps 10,000 of them within the usual
 * open-file limit. The set-up checks that limit and that the idle channels really are idle.
 *
 * <p>Pitfalls avoided: the ready key's ready set goes to a {@code Blackhole} and the count is
 * returned, so nothing is dead code; set-up (10,000 registrations) is outside the measurement;
 * the idle count is a {@code @Param}, so each size gets its own fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class SelectCost {

    /** Descriptors the JVM and JMH hold besides the channels (jars, pipes, the selector's own). */
    static final int OTHER_DESCRIPTORS = 100;

    @Param({"1", "1000", "10000"})
    public int idleChannels;

    private Selector selector;
    private final List<DatagramChannel> idle = new ArrayList<>();
    private Pipe ready;

    @Setup
    public void registerChannels() throws IOException {
        requireOpenFiles(idleChannels + 2 + OTHER_DESCRIPTORS);
        selector = Selector.open();
        for (int i = 0; i < idleChannels; i++) {
            DatagramChannel channel = DatagramChannel.open();
            idle.add(channel);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
        ready = Pipe.open();
        ready.source().configureBlocking(false);
        SelectionKey readyKey = ready.source().register(selector, SelectionKey.OP_READ);
        ready.sink().write(ByteBuffer.wrap(new byte[] {'!'}));
        int selected = selector.selectNow();
        if (selected != 1 || !selector.selectedKeys().contains(readyKey)) {
            throw new IllegalStateException("expected only the pipe to be ready, but " + selected
                    + " channels are; the idle channels are not idle on this system");
        }
        selector.selectedKeys().clear();
    }

    @Benchmark
    public int selectAndHandleTheReadyKey(Blackhole blackhole) throws IOException {
        int selected = selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
            blackhole.consume(key.readyOps());
        }
        selector.selectedKeys().clear();
        return selected;
    }

    @TearDown
    public void closeChannels() throws IOException {
        for (DatagramChannel channel : idle) channel.close();
        idle.clear();
        ready.sink().close();
        ready.source().close();
        selector.close();
    }

    /** Fails with one sentence when fewer than {@code needed} descriptors are left under the soft limit. */
    private void requireOpenFiles(long needed) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) return;
        long limit = os.getMaxFileDescriptorCount();
        long free = limit - os.getOpenFileDescriptorCount();
        if (free < needed) {
            throw new IllegalStateException("SelectCost with " + idleChannels + " idle channels needs about "
                    + needed + " free file descriptors but the open-file limit (ulimit -n) is " + limit
                    + " with " + free + " free; raise it (ulimit -n $(ulimit -Hn)) or run ./suite bench, which does.");
        }
    }
}
