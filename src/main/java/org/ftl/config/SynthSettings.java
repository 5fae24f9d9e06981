package org.ftl.config;

/** {@code ftl.synth}: the procedural crack-image generator. */
public record SynthSettings(
        int count,
        int size,
        double crackFraction,
        double evaluationFraction,
        int segmentedCount,
        double difficulty,
        double hardNegativeFraction,
        String crackClass,
        String backgroundClass) {

    static SynthSettings from(Settings s) {
        SynthSettings r = new SynthSettings(
                s.intIn("ftl.synth.count", 1, 1_000_000),
                s.intIn("ftl.synth.size", 16, 4096),
                s.doubleIn("ftl.synth.crack-fraction", 0.05, 0.95),
                s.doubleIn("ftl.synth.evaluation-fraction", 0.05, 0.9),
                s.intIn("ftl.synth.segmented-count", 1, 100_000),
                s.doubleIn("ftl.synth.difficulty", 0, 1),
                s.doubleIn("ftl.synth.hard-negative-fraction", 0, 1),
                s.nonEmpty("ftl.synth.crack-class"),
                s.nonEmpty("ftl.synth.background-class"));
        if (r.crackClass.equals(r.backgroundClass)) {
            throw s.invalid("ftl.synth.background-class", "must differ from ftl.synth.crack-class");
        }
        return r;
    }
}
