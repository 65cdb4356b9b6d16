package echosuite.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {

    @Test
    void aLatencyKeepsAboutThreeSignificantDigitsFromNanosecondsToSeconds() {
        assertEquals("850 ns", Units.latency(850));
        assertEquals("21.4 µs", Units.latency(21_400));
        assertEquals("150 µs", Units.latency(150_000));
        assertEquals("1.27 ms", Units.latency(1_270_000));
        assertEquals("250 ms", Units.latency(250_000_000));
        assertEquals("2.50 s", Units.latency(2_500_000_000.0));
    }

    @Test
    void microsecondsFollowTheSameRule() {
        assertEquals(Units.latency(96_000), Units.micros(96.0));
        assertEquals("2.41 s", Units.micros(2_410_000.0));
        assertEquals("", Units.micros(null));
    }

    @Test
    void configuredFiguresAreExactMeasuredMemoryHasOneDecimal() {
        assertEquals("500 ms", Units.duration(500_000_000L));
        assertEquals("64 KiB", Units.size(65_536));
        assertEquals("64.0 KiB", Units.bytes(65_536L));
        assertEquals("-142.1 KiB", Units.bytes(-145_472L));
    }

    @Test
    void aRatioHasTwoDecimalsAndTwoSignificantDigitsBelowATenth() {
        assertEquals("1.23×", Units.ratio(1.2345));
        assertEquals("0.10×", Units.ratio(0.1));
        assertEquals("0.0039×", Units.ratio(9.5 / 2446));
        assertEquals("0.00×", Units.ratio(0.0));
        assertEquals("", Units.ratio(null));
    }
}
