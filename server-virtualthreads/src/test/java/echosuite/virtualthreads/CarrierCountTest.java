package echosuite.virtualthreads;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server sets no carrier count: the JDK's default scheduler has as many carriers as
 * {@code availableProcessors()}, which counts the CPUs the process may run on. Checked on this
 * JDK in a child JVM started under {@code taskset} (as the harness starts the server), which
 * prints its default scheduler's parallelism: 1 on CPU 0, and the machine's count unpinned.
 */
class CarrierCountTest {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    /** Run in the child JVM: prints the default virtual-thread scheduler's parallelism. */
    public static final class Probe {
        public static void main(String[] args) throws ReflectiveOperationException {
            Field f = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
            f.setAccessible(true);
            System.out.println(((ForkJoinPool) f.get(null)).getParallelism());
        }
    }

    private static int carriers(List<String> prefix) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe JVM ends");
            assertEquals(0, p.exitValue(), out);
            return Integer.parseInt(out);
        } finally {
            p.destroyForcibly();   // no-op once it has exited
        }
    }

    /** The first CPU this JVM may run on (CPU 0 unless a taskset or cpuset says otherwise). */
    private static String firstCpu() throws IOException {
        String list = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst().orElseThrow().substring("Cpus_allowed_list:".length()).strip();
        return list.split("[-,]")[0];
    }

    @Test
    void theCarriersFollowTheCpusTheProcessMayRunOn() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(TASKSET), "the harness pins with " + TASKSET + ", as this test does");
        assertEquals(1, carriers(List.of(TASKSET.toString(), "-c", firstCpu())), "pinned to one CPU, as ./suite run starts it on 2 CPUs");
        assertEquals(Runtime.getRuntime().availableProcessors(), carriers(List.of()), "unpinned: the CPUs this test may use");
    }
}
