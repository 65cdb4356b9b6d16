package echosuite.conformance;

import echosuite.procfs.ProcFs;
import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The virtual-thread server must create the JDK's I/O poller before it accepts anyone. The JDK
 * creates it lazily, at the first read that parks; if that happens while the process is out of
 * file descriptors, its creation fails for good and no client is ever served again. This checks
 * the cause directly (the poller's epoll descriptors exist right after {@code listening on}),
 * because reproducing the failure itself depends on which comes first, a read or the exhaustion.
 */
class VirtualThreadPollerTest {

    @TempDir
    Path dir;

    @Test
    void theIoPollerExistsBeforeTheFirstClientIsAccepted() throws Exception {
        try (ServerProcess p = ServerUnderTest.VIRTUALTHREADS.start(dir.resolve("log.txt"))) {
            long epollFds = epollDescriptors(p.pid());
            assertTrue(epollFds > 0, "no epoll descriptor in the idle server: the poller would be created at the first"
                    + " client's read, which fails for good if that moment meets EMFILE");
        }
    }

    private static long epollDescriptors(long pid) throws IOException {
        return new ProcFs().fdTargets(pid).stream().filter(target -> target.contains("eventpoll")).count();
    }
}
