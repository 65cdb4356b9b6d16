package echosuite.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults that differ between scenarios, in one table (picocli asks this provider for any
 * option without a {@code defaultValue}; help texts show the answer as {@code ${DEFAULT-VALUE}}).
 */
final class ScenarioDefaults implements CommandLine.IDefaultValueProvider {

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || arg.command() == null) return null;
        String scenario = arg.command().name();
        return switch (option.longestName()) {
            case "--connections" -> switch (scenario) {
                case "churn", "bulk" -> "4";
                case "hold" -> "1000";
                default -> "16";
            };
            case "--size" -> scenario.equals("bulk") ? "65536" : "64";
            case "--duration" -> scenario.equals("find-max") ? "5s" : "10s";
            case "--connect-rate" -> scenario.equals("churn") ? "0" : "5000";
            case "--threads" -> String.valueOf(Runtime.getRuntime().availableProcessors());
            default -> null;
        };
    }
}
