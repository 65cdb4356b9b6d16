package echosuite.harness;

import java.util.Locale;

/** Human formats of the figures in tables: latencies, sizes, rates. Null prints as an empty cell. */
final class Units {

    private Units() { }

    /** A latency given in µs, as µs below 10 ms and as ms (or s) above. */
    static String micros(Double us) {
        if (us == null) return "";
        if (us < 10_000) return String.format(Locale.ROOT, "%.0f µs", us);
        if (us < 10_000_000) return String.format(Locale.ROOT, "%.1f ms", us / 1000);
        return String.format(Locale.ROOT, "%.1f s", us / 1_000_000);
    }

    /** Bytes as KiB, MiB or GiB with one decimal. */
    static String bytes(Long b) {
        if (b == null) return "";
        long size = Math.abs(b);                  // a difference (hold's marginal mem/conn) may be negative
        if (size < 10 * 1024) return b + " B";
        if (size < 10L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (size < 10L * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    }

    /** A count or rate with thousands separators and no decimals (below 10: two decimals). */
    static String count(Double v) {
        if (v == null) return "";
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String count(Long v) {
        return v == null ? "" : String.format(Locale.ROOT, "%,d", v);
    }

    /** A ratio as {@code 1.23×}. */
    static String ratio(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2f×", r);
    }

    /** A fraction as a signed percentage: {@code ±3.1%}. */
    static String spread(Double fraction) {
        return fraction == null ? "" : String.format(Locale.ROOT, "±%.1f%%", fraction * 50);
    }
}
