package echosuite.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where no pids cgroup can be made, a test using one is aborted (reported as not run) with the reason. */
class PidsCgroupTest {

    @TempDir
    Path dir;

    @Test
    void withoutAPidsControllerTheTestIsAbortedSayingThereIsNone() {
        Path missing = dir.resolve("pids");
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> PidsCgroup.create(missing));
        assertEquals("no cgroup v1 pids controller at " + missing
                + " (a host with only the cgroup v2 hierarchy has none) to cap the server's threads and processes", e.getMessage());
    }

    @Test
    void aDirectoryThatIsNoPidsControllerAbortsTheTestAndKeepsNothingOfTheProbe() throws Exception {
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> PidsCgroup.create(dir));
        assertEquals(dir + " is not a cgroup v1 pids controller (a new cgroup there has no pids.max)", e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the probe cgroup is removed");
        }
    }
}
