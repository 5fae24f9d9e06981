package org.ftl;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** run.json's versions say what is needed to repeat a run: the build, its commit, and what it ran on. */
class VersionsTest {
    @Test
    void recordsTheBuildItsCommitAndTheRuntime() {
        Map<String, String> v = Versions.all();
        for (String key : new String[] {"ftl.version", "spark.version", "dl4j.version", "scala.version", "java.version",
                "java.vendor", "os", "spark.runtime.version", "hadoop.runtime.version", "git.commit"}) {
            assertTrue(v.get(key) != null && !v.get(key).isBlank() && !v.get(key).contains("${"), key + " = " + v.get(key));
        }
        assertTrue(v.get("spark.runtime.version").startsWith("3.5"), v.toString());
        // a hex commit, or "unknown" when built outside a git checkout
        assertTrue(v.get("git.commit").matches("[0-9a-f]{40}(-dirty)?|unknown"), v.get("git.commit"));
    }
}
