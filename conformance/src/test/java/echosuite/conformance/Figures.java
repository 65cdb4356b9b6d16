package echosuite.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Figures a reliability test measured (records lost, memory growth, clients refused, CPU while
 * saturated), for the {@code ./suite chaos} table. When the system property {@code echosuite.figures}
 * names a file, each figure is appended to it as one tab-separated line
 * {@code test-method  server  key  value}; otherwise figures go nowhere. A figure named
 * {@value #DEGRADED} says how a scenario that held was degraded.
 */
final class Figures {

    static final String DEGRADED = "degraded";

    private Figures() { }

    static void record(String testMethod, ServerUnderTest server, String key, Object value) {
        String file = System.getProperty("echosuite.figures", "");
        if (file.isBlank()) return;
        String line = String.join("\t", testMethod, server.toString(), key,
                String.valueOf(value).replace('\t', ' ').replace('\n', ' ')) + "\n";
        try {
            synchronized (Figures.class) {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot write figures to " + file + ": " + e.getMessage(), e);
        }
    }
}
