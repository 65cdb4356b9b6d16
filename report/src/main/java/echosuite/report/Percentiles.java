package echosuite.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A latency histogram's summary in µs, as the report writes it: {@code count, mean, p50, p90,
 * p99, p999, p9999, max}. With no samples every figure but the count is written as null.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Percentiles(Long count, Double mean, Double p50, Double p90, Double p99, Double p999, Double p9999, Double max) { }
