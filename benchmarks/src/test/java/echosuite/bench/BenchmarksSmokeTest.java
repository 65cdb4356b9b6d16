package echosuite.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every benchmark once, with one fork, no warm-up and one short measurement, so that the
 * benchmarks keep compiling, setting up, running and tearing down as the code under them
 * changes; then renders the JSON it wrote into the Markdown table. It asserts that each
 * benchmark produced a result and a table row, never how fast anything was: the figures of a
 * 100 ms iteration on a shared machine mean nothing.
 */
class BenchmarksSmokeTest {

    /** What JMH's annotation processor writes beside each set of benchmarks it compiles. */
    private static final String BENCHMARK_LIST = "META-INF/BenchmarkList";

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)   // a bound on a hung fork, not a speed target
    void everyBenchmarkRunsOnceAndAppearsInTheTable(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("smoke.json");
        Path output = dir.resolve("jmh-output.txt");
        Options options = new OptionsBuilder()
                .include("^echosuite\\.")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                // 10,000 idle channels need an open-file limit that ./suite bench raises and a
                // test environment may not allow; the code path is the same at 100.
                .param("idleChannels", "1", "100")
                .timeout(TimeValue.seconds(60))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .output(output.toString())
                .build();
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            fail("a benchmark failed; JMH's output:\n" + readIfPresent(output), e);
            return;
        }

        Set<String> expected = benchmarkMethods();
        assertFalse(expected.isEmpty(), "found no @Benchmark method beside any " + BENCHMARK_LIST);
        assertTrue(expected.contains("echosuite.runtime.RecordLogHandoff.oneProducer"),
                "the benchmarks of server-runtime's jmh jar are not on the class path: " + expected);
        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, ran, "every benchmark must run; JMH's output:\n" + readIfPresent(output));
        for (RunResult result : results) {
            Result<?> primary = result.getPrimaryResult();
            String name = result.getParams().getBenchmark() + " " + result.getParams();
            assertTrue(primary.getSampleCount() >= 1, name + " produced no sample");
            assertTrue(Double.isFinite(primary.getScore()) && primary.getScore() > 0,
                    name + " produced the score " + primary.getScore());
        }

        String table = JmhResultTable.render(Files.readString(json), "smoke.json", "");
        for (String benchmark : expected) {
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            assertTrue(table.contains("| " + method + " |"), "the table has no row for " + benchmark + ":\n" + table);
        }
    }

    /**
     * Every concrete class's {@code @Benchmark} methods (inherited ones included), as JMH names
     * them, found in the compiled classes of every class-path entry that lists benchmarks (this
     * module's classes and each module's "jmh" jar; JMH's generated classes excluded).
     */
    private static Set<String> benchmarkMethods() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        Enumeration<URL> lists = BenchmarksSmokeTest.class.getClassLoader().getResources(BENCHMARK_LIST);
        while (lists.hasMoreElements()) {
            try (ClassPathEntry entry = ClassPathEntry.holding(lists.nextElement());
                 Stream<Path> files = Files.walk(entry.root())) {
                for (Path file : files.toList()) {
                    String relative = entry.root().relativize(file).toString();
                    if (!relative.endsWith(".class") || relative.contains("$") || relative.contains("jmh_generated")) continue;
                    String className = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                    Class<?> type = Class.forName(className);
                    if (Modifier.isAbstract(type.getModifiers())) continue;
                    for (Method m : type.getMethods()) {
                        if (m.isAnnotationPresent(Benchmark.class)) names.add(type.getName() + "." + m.getName());
                    }
                }
            }
        }
        return names;
    }

    /** The root of the directory or jar that holds one {@code META-INF/BenchmarkList}; closing it closes the jar. */
    private record ClassPathEntry(Path root, FileSystem jar) implements Closeable {

        static ClassPathEntry holding(URL benchmarkList) throws IOException, URISyntaxException {
            URI uri = benchmarkList.toURI();
            if (uri.getScheme().equals("jar")) {
                String jarFile = uri.getRawSchemeSpecificPart();
                jarFile = jarFile.substring(0, jarFile.indexOf("!/"));
                FileSystem jar = FileSystems.newFileSystem(Path.of(URI.create(jarFile)));
                return new ClassPathEntry(jar.getPath("/"), jar);
            }
            Path list = Path.of(uri);
            return new ClassPathEntry(list.getParent().getParent(), null);   // .../META-INF/BenchmarkList
        }

        @Override
        public void close() throws IOException {
            if (jar != null) jar.close();
        }
    }

    private static String readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }
}
