package org.ftl.decide;

import org.ftl.config.Settings;

import java.util.List;

/** {@code ftl.decision}: the decision function, its constraints and how many candidates to show. */
public record DecisionSettings(String score, List<String> constraints, int top) {

    public static DecisionSettings from(Settings s) {
        List<String> constraints = s.stringList("ftl.decision.constraints");
        for (String c : constraints) {
            if (c.isBlank()) {
                throw s.invalid("ftl.decision.constraints", "must not hold an empty condition");
            }
        }
        return new DecisionSettings(s.nonEmpty("ftl.decision.score"), constraints, s.intIn("ftl.decision.top", 1, 1000));
    }
}
