package echosuite.conformance;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a few MiB mounted for one test, so that a disk can really run full and get space
 * back. Mounting needs root (CI runs as root); without it the test is aborted with the reason,
 * which the test report and {@code ./suite chaos} show as "not run". Unmounted on close.
 */
final class SmallFileSystem implements AutoCloseable {

    private final Path root;

    private SmallFileSystem(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code bytes} bytes on {@code root} (created if missing). */
    static SmallFileSystem mount(Path root, long bytes) throws Exception {
        Files.createDirectories(root);
        Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0777", "echosuite-test", root.toString());
        Assumptions.assumeTrue(mount.status == 0, "not run: mounting a small tmpfs to fill up needs root ("
                + mount.output.strip() + ")");
        return new SmallFileSystem(root);
    }

    Path root() {
        return root;
    }

    /** Writes a file named {@code name} until the file system is full; returns its path. */
    Path fill(String name) throws IOException {
        Path filler = root.resolve(name);
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
        }
        return filler;
    }

    /** Unmounts; lazily if something still holds a file open, so that no mount is left behind. */
    @Override
    public void close() throws Exception {
        Result umount = run("umount", root.toString());
        if (umount.status != 0) {
            Result lazy = run("umount", "-l", root.toString());
            if (lazy.status != 0) throw new IOException("cannot unmount the test tmpfs " + root + ": " + lazy.output);
        }
    }

    private record Result(int status, String output) { }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), output);
    }
}
