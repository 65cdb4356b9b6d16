package echosuite.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine and software a run was made on, recorded with every run because numbers without it
 * cannot be compared.
 *
 * @param cores        CPUs the harness may use ({@code Runtime.availableProcessors()})
 * @param cpuModel     {@code model name} from /proc/cpuinfo
 * @param memoryBytes  MemTotal from /proc/meminfo
 * @param kernel       /proc/sys/kernel/osrelease
 * @param jdk          the JDK that runs servers and load generator: vendor, version, java.home
 * @param jvmFlags     extra JVM options given to servers and load generator (empty: defaults)
 * @param pinning      how server and load were kept apart, in words ({@link Placement#words})
 * @param serverCpus   the CPUs the server was pinned to, in taskset's list syntax ({@code 0}, {@code 0-3});
 *                     a scaling step runs on the first N of them; null when not pinned (or a run before the option)
 * @param loadCpus     the CPUs the load generator was pinned to, likewise
 * @param date         ISO-8601 start of the run
 * @param gitCommit    the project's commit, with {@code -dirty} if the tree had local changes
 */
record Machine(int cores, String cpuModel, long memoryBytes, String kernel, String jdk, String jvmFlags,
               String pinning, String date, String gitCommit, String serverCpus, String loadCpus) {

    /** Describes this machine now, the run's {@code placement} of server and load included. */
    static Machine detect(Path projectRoot, String jvmFlags, Placement placement) {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), memTotal(), readKernel(),
                System.getProperty("java.vendor") + " " + Runtime.version() + " (" + System.getProperty("java.home") + ")",
                jvmFlags, placement.words(), OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), gitCommit(projectRoot),
                placement.pinned() ? placement.server().text() : null, placement.pinned() ? placement.load().text() : null);
    }

    private static String readCpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name", "unknown");
    }

    private static long memTotal() {
        String kb = firstValue(Path.of("/proc/meminfo"), "MemTotal", "0 kB").split("\\s+")[0];
        try {
            return Long.parseLong(kb) * 1024;
        } catch (NumberFormatException e) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        }
    }

    private static String readKernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
    }

    private static String firstValue(Path file, String key, String otherwise) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException e) {
            // fall through: not Linux, or not readable
        }
        return otherwise;
    }

    /** {@code git rev-parse HEAD} plus {@code -dirty} when {@code git status} shows changes; "unknown" without git. */
    private static String gitCommit(Path root) {
        String head = git(root, "rev-parse", "HEAD");
        if (head == null) return "unknown";
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        return head + (status != null && !status.isBlank() ? "-dirty" : "");
    }

    private static String git(Path root, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
