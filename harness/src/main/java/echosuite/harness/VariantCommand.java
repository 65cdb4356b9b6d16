package echosuite.harness;

import echosuite.cli.UsageError;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

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
        ServerSpec spec = ServerCatalog.named(name);
        if (spec.origin() != ServerSpec.Origin.PROJECT) {
            throw new UsageError("'" + name + "' is not a variant of a project server; ./suite server starts the "
                    + "project's servers, their variants and the course's C servers.");
        }
        System.out.println(spec.program());
        spec.options().forEach(System.out::println);
        return 0;
    }
}
