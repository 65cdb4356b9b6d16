package echosuite.report;

import java.util.Locale;

/**
 * The one way figures are written for people, by the load generator's summary and the harness's
 * tables alike: always with a unit; null prints as an empty cell.
 *
 * <p>A measured time ({@link #latency}) keeps about three significant digits whatever its size,
 * from ns to s; a configured time ({@link #duration}) or size ({@link #size}) is written exactly
 * as it was given; a measured amount of memory ({@link #bytes}) keeps one decimal.
 */
public final class Units {

    private Units() { }

    /** A measured time given in ns: {@code 850 ns}, {@code 21.4 µs}, {@code 150 µs}, {@code 1.27 ms}, {@code 2.50 s}. */
    public static String latency(double nanos) {
        if (nanos < 1_000) return String.format(Locale.ROOT, "%.0f ns", nanos);
        if (nanos < 100_000) return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        if (nanos < 1_000_000) return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        if (nanos < 100_000_000) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        if (nanos < 1_000_000_000) return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** The same for a time given in µs (the reports' unit); null: empty. */
    public static String micros(Double us) {
        return us == null ? "" : latency(us * 1e3);
    }

    /** A configured duration: {@code 500 ms}, {@code 10 s}. */
    public static String duration(long nanos) {
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + " s";
        if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + " ms";
        if (nanos % 1_000L == 0) return nanos / 1_000L + " µs";
        return nanos + " ns";
    }

    /** A configured size: {@code 64 B}, {@code 64 KiB}, {@code 1.5 MiB}. */
    public static String size(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return b % 1024 == 0 ? b / 1024 + " KiB" : String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
    }

    /** Measured memory: bytes below 10 KiB, else KiB, MiB or GiB with one decimal; may be negative (a difference). */
    public static String bytes(Long b) {
        if (b == null) return "";
        long size = Math.abs(b);
        if (size < 10 * 1024) return b + " B";
        if (size < 10L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (size < 10L * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    }

    /** A count or rate with thousands separators and no decimals (below 10: two decimals). */
    public static String count(Double v) {
        if (v == null) return "";
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }

    public static String count(Long v) {
        return v == null ? "" : String.format(Locale.ROOT, "%,d", v);
    }

    /**
     * A ratio as {@code 1.23×}; below 0.1 with two significant digits ({@code 0.0039×}), so that a
     * ratio far below 1 does not read as 0.
     */
    public static String ratio(Double r) {
        if (r == null) return "";
        if (r != 0 && Math.abs(r) < 0.1) return new java.math.BigDecimal(r).round(new java.math.MathContext(2)).toPlainString() + "×";
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    /** A spread (range / median) as the signed half-range: {@code ±3.1%}. */
    public static String spread(Double fraction) {
        return fraction == null ? "" : String.format(Locale.ROOT, "±%.1f%%", fraction * 50);
    }
}
