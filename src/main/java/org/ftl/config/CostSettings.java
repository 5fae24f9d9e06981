package org.ftl.config;

/** {@code ftl.cost}: how latency is measured. */
public record CostSettings(int threads, int warmup, int minRepetitions, double minSeconds) {

    static CostSettings from(Settings s) {
        return new CostSettings(s.intIn("ftl.cost.threads", 1, 256), s.intIn("ftl.cost.warmup", 0, 10_000),
                s.intIn("ftl.cost.min-repetitions", 3, 100_000), s.doubleIn("ftl.cost.min-seconds", 0, 600));
    }
}
