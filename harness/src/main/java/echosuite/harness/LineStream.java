package echosuite.harness;

import org.apache.commons.exec.LogOutputStream;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The output stream a {@link org.apache.commons.exec.PumpStreamHandler} pumps a child's stdout or
 * stderr into: it cuts the bytes into lines and hands each line (without its end of line) to a
 * consumer, on the pump thread. That is how the harness sees a server's {@code listening on} and
 * {@code summary} lines the moment they are printed.
 */
final class LineStream extends LogOutputStream {

    private final Consumer<String> lines;

    LineStream(Consumer<String> lines) {
        super(0, StandardCharsets.UTF_8);
        this.lines = lines;
    }

    @Override
    protected void processLine(String line, int level) {
        lines.accept(line);
    }
}
