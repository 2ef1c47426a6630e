package com.redfour.shopping.support;

/** Reading the Prometheus text of {@code /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The sample value of one line, e.g. {@code name{labels} 3.0}; with tracing on, a line may end in
     * an exemplar ({@code # {trace_id="…"} 1.0 1795541777.153}), which is not the value.
     */
    public static double value(String line) {
        String sample = line.split(" # ", 2)[0].trim();
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
