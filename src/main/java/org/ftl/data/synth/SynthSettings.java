package org.ftl.data.synth;

import org.ftl.config.Settings;


import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ftl.synth}: the procedural image generator. {@code mode} crack writes Crack vs Background with masks;
 * broad writes one class per surface phenomenon ({@code broad.classes}, {@code broad.per-class} images each, of
 * which {@code broad.evaluation-fraction} go to evaluation/), the task a backbone is pretrained on.
 */
public record SynthSettings(
        String mode,
        int count,
        int size,
        double crackFraction,
        double evaluationFraction,
        int segmentedCount,
        double difficulty,
        double hardNegativeFraction,
        String crackClass,
        String backgroundClass,
        List<Phenomenon> broadClasses,
        int broadPerClass,
        double broadEvaluationFraction) {

    public static final String CRACK = "crack";
    public static final String BROAD = "broad";

    public boolean broad() {
        return mode.equals(BROAD);
    }

    /** The same settings in another mode (the demo makes its broad pretraining set with the crack set's settings). */
    public SynthSettings inMode(String newMode) {
        return new SynthSettings(newMode, count, size, crackFraction, evaluationFraction, segmentedCount, difficulty,
                hardNegativeFraction, crackClass, backgroundClass, broadClasses, broadPerClass, broadEvaluationFraction);
    }

    /** The folder of a broad class: the crack's is {@code crack-class}, so its masks pair with data.target-class. */
    public String folder(Phenomenon p) {
        return p == Phenomenon.CRACK ? crackClass : p.defaultFolder();
    }

    public static SynthSettings from(Settings s) {
        List<Phenomenon> classes = new ArrayList<>();
        for (String name : s.stringList("ftl.synth.broad.classes")) {
            Phenomenon p;
            try {
                p = Phenomenon.parse(name);
            } catch (IllegalArgumentException e) {
                throw s.invalid("ftl.synth.broad.classes", e.getMessage());
            }
            if (classes.contains(p)) {
                throw s.invalid("ftl.synth.broad.classes", "names " + p.configName() + " twice");
            }
            classes.add(p);
        }
        if (classes.size() < 2) {
            throw s.invalid("ftl.synth.broad.classes", "needs at least two classes of " + String.join(", ", Phenomenon.names()));
        }
        SynthSettings r = new SynthSettings(
                s.oneOf("ftl.synth.mode", CRACK, BROAD),
                s.intIn("ftl.synth.count", 1, 1_000_000),
                s.intIn("ftl.synth.size", 16, 4096),
                s.doubleIn("ftl.synth.crack-fraction", 0.05, 0.95),
                s.doubleIn("ftl.synth.evaluation-fraction", 0.05, 0.9),
                s.intIn("ftl.synth.segmented-count", 1, 100_000),
                s.doubleIn("ftl.synth.difficulty", 0, 1),
                s.doubleIn("ftl.synth.hard-negative-fraction", 0, 1),
                s.nonEmpty("ftl.synth.crack-class"),
                s.nonEmpty("ftl.synth.background-class"),
                List.copyOf(classes),
                s.intIn("ftl.synth.broad.per-class", 2, 100_000),
                s.doubleIn("ftl.synth.broad.evaluation-fraction", 0, 0.9));
        if (r.crackClass.equals(r.backgroundClass)) {
            throw s.invalid("ftl.synth.background-class", "must differ from ftl.synth.crack-class");
        }
        Set<String> folders = new HashSet<>();
        for (Phenomenon p : classes) {
            // folder names compared as a case-insensitive file system would
            if (!folders.add(r.folder(p).toLowerCase(Locale.ROOT))) {
                throw s.invalid("ftl.synth.crack-class", "'" + r.crackClass + "' is also the folder of the broad class "
                        + p.configName());
            }
        }
        return r;
    }
}
