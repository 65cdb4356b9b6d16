package echosuite.forking.frames;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A page of memory shared between processes: a memfd that the parent made and a child inherited,
 * mapped by each through {@code /proc/self/fd/N}. Writes to it are seen by every process at
 * once, with no system call, and outlive a process that is killed.
 */
public final class SharedPage {

    public static final long BYTES = 4096;

    private SharedPage() { }

    /** Maps the page that {@code file} (e.g. {@code /proc/self/fd/3}) opens. */
    public static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, BYTES);
        }
    }
}
