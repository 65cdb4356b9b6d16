package echosuite.loadgen;

import java.util.Locale;

/** Formats nanosecond figures for people: always with a unit, three significant digits or so. */
final class Units {

    private Units() { }

    /** A latency: {@code 21.4 µs}, {@code 1.27 ms}, {@code 2.50 s}. */
    static String latency(double nanos) {
        if (nanos < 1_000) return String.format(Locale.ROOT, "%.0f ns", nanos);
        if (nanos < 100_000) return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        if (nanos < 1_000_000) return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        if (nanos < 100_000_000) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        if (nanos < 1_000_000_000) return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** A configured duration: {@code 500 ms}, {@code 10 s}. */
    static String duration(long nanos) {
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + " s";
        if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + " ms";
        if (nanos % 1_000L == 0) return nanos / 1_000L + " µs";
        return nanos + " ns";
    }

    /** Bytes: {@code 64 B}, {@code 64 KiB}, {@code 1.5 MiB}. */
    static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return b % 1024 == 0 ? b / 1024 + " KiB" : String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
    }
}
