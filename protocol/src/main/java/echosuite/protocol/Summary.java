package echosuite.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code summary {json}} line a server prints on exit: a flat JSON object of whole numbers.
 * Both directions live here so that servers and the tools that read them agree by construction.
 */
public final class Summary {

    /** The line's prefix, including the space before the JSON object. */
    public static final String PREFIX = "summary ";
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9_]+)\"\\s*:\\s*(-?\\d+)");

    private Summary() { }

    /** Formats fields (in their iteration order) as a summary line. */
    public static String format(Map<String, Long> fields) {
        StringBuilder json = new StringBuilder(PREFIX).append('{');
        fields.forEach((k, v) -> {
            if (json.charAt(json.length() - 1) != '{') json.append(',');
            json.append('"').append(k).append("\":").append(v);
        });
        return json.append('}').toString();
    }

    /**
     * Parses a summary line back into its fields.
     *
     * @throws IllegalArgumentException if {@code line} is not a summary line
     */
    public static Map<String, Long> parse(String line) {
        String s = line.strip();
        if (!s.startsWith(PREFIX + "{") || !s.endsWith("}")) {
            throw new IllegalArgumentException("not a summary line: " + line);
        }
        Map<String, Long> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(s.substring(PREFIX.length()));
        while (m.find()) fields.put(m.group(1), Long.parseLong(m.group(2)));
        return fields;
    }
}
