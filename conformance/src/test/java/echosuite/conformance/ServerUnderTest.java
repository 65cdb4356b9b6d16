package echosuite.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Every server the kit tests, one line each: its module's short name, and extra arguments that
 * select a mode. Adding a server to the kit is adding a line here.
 */
public enum ServerUnderTest {
    THREADED("threaded"),
    VIRTUALTHREADS("virtualthreads");

    /** The name used by {@code ./suite server NAME}; the jar is {@code server-NAME/target/server-NAME.jar}. */
    public final String name;
    /** Arguments added to every start (a mode such as {@code --prefork 8}). */
    public final List<String> modeArgs;
    /**
     * How many clients the reliability tests hold open at once against this server: unbounded
     * for threads and reactors; a process-per-client server says how many processes a test may
     * make it spawn on a 24 GiB machine.
     */
    public final int concurrencyLimit;

    ServerUnderTest(String name, String... modeArgs) {
        this(name, Integer.MAX_VALUE, modeArgs);
    }

    ServerUnderTest(String name, int concurrencyLimit, String... modeArgs) {
        this.name = name;
        this.concurrencyLimit = concurrencyLimit;
        this.modeArgs = List.of(modeArgs);
    }

    /** The runnable jar built by the reactor. */
    public Path jar() {
        Path root = Path.of(System.getProperty("echosuite.root", ".."));
        Path jar = root.resolve("server-" + name).resolve("target").resolve("server-" + name + ".jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the server jar " + jar + " is missing: build with ./suite build first");
        }
        return jar;
    }

    @Override
    public String toString() {
        return modeArgs.isEmpty() ? name : name + " " + String.join(" ", modeArgs);
    }
}
