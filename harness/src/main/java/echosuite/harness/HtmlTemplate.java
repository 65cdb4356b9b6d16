package echosuite.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML file among the harness's resources with {@code {{name}}} placeholders, filled with
 * ready-made HTML (the caller escapes what it inserts). A placeholder left unfilled, or a value
 * for none, is a mistake in the page, so both fail instead of printing a page with a hole in it.
 */
final class HtmlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private final String name, text;

    private HtmlTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The resource {@code name} beside this class. */
    static HtmlTemplate load(String name) {
        try (InputStream in = HtmlTemplate.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the harness has no template " + name);
            return new HtmlTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text with every placeholder replaced by its value. */
    String fill(Map<String, String> values) {
        Set<String> unused = new TreeSet<>(values.keySet());
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalArgumentException(name + ": no value for {{" + m.group(1) + "}}");
            unused.remove(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!unused.isEmpty()) throw new IllegalArgumentException(name + " has no placeholder for " + unused);
        return out.toString();
    }

    /** {@code s} safe in HTML text and attribute values; null reads as empty. */
    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
