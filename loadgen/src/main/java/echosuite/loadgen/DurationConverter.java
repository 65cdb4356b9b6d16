package echosuite.loadgen;

import picocli.CommandLine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration option into nanoseconds: a number with a unit ({@code 250us}, {@code 1ms},
 * {@code 10s}, {@code 2m}), or a plain number of seconds ({@code 10}, {@code 0.5}), as
 * {@code echo_load -d 10} takes it.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|min)?");

    @Override
    public Long convert(String value) {
        Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (examples: 10, 10s, 500ms, 250us)");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double scale = switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 60e9;   // m, min
        };
        return Math.round(number * scale);
    }
}
