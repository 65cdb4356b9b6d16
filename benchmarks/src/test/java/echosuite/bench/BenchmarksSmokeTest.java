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

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
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
        assertFalse(expected.isEmpty(), "found no @Benchmark method next to " + ConcurrencyUnitStart.class);
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
     * them, found in this module's compiled classes (JMH's generated classes excluded).
     */
    private static Set<String> benchmarkMethods() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ConcurrencyUnitStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.toList()) {
                String relative = classes.relativize(file).toString();
                if (!relative.endsWith(".class") || relative.contains("$") || relative.contains("jmh_generated")) continue;
                String className = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                Class<?> type = Class.forName(className);
                if (Modifier.isAbstract(type.getModifiers())) continue;
                for (Method m : type.getMethods()) {
                    if (m.isAnnotationPresent(Benchmark.class)) names.add(type.getName() + "." + m.getName());
                }
            }
        }
        return names;
    }

    private static String readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }
}
