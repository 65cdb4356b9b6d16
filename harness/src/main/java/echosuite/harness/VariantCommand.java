package echosuite.harness;

import echosuite.cli.UsageError;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code suite variant NAME}, for the {@code ./suite} script only: prints the project server a
 * variant runs and its options, one per line ({@code forking}, {@code --prefork}, {@code 8}), so
 * that {@code ./suite server forking-prefork} starts what {@code ./suite run --servers
 * forking-prefork} measures, from the one catalog ({@link ServerCatalog}).
 */
@Command(name = "variant", hidden = true, description = "Prints a variant's server and options, one per line (for ./suite server).")
final class VariantCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "A variant's name, e.g. forking-prefork.")
    String name;

    @Override
    public Integer call() {
        ServerSpec spec = ServerCatalog.all().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        if (spec == null || spec.origin() != ServerSpec.Origin.PROJECT) {
            List<String> startable = ServerCatalog.all().stream()
                    .filter(s -> s.origin() == ServerSpec.Origin.PROJECT || s.origin() == ServerSpec.Origin.COURSE_C)
                    .map(ServerSpec::name).toList();
            throw new UsageError((spec == null ? "unknown server '" + name + "'" : "'" + name + "' is an anchor, which ./suite run starts, not ./suite server")
                    + "; ./suite server starts " + String.join(", ", startable) + ".");
        }
        System.out.println(spec.program());
        spec.options().forEach(System.out::println);
        return 0;
    }
}
