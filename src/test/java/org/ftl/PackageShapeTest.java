package org.ftl;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The shape of the code (README, Code layout): packages in the order the data flows, each using only those before
 * it; no cycles; Spark only in sweep and decide. Checked on the compiled main classes, so a new import that bends
 * the shape fails here, naming the classes.
 */
class PackageShapeTest {
    /** Data-flow order under org.ftl; the shared helpers in org.ftl itself come before all. */
    static final List<String> ORDER = List.of("config", "data", "data.label", "data.synth", "data.tile", "backbone", "prune",
            "infer", "head", "cost", "decide", "runs", "report", "job", "deploy", "sweep", "bench", "cli");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ftl");

    @Test
    void noPackageCycles() {
        slices().matching("org.ftl.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachPackageUsesOnlyThoseBeforeIt() {
        assertEquals(List.of(), backwardEdges(ORDER), "package -> package it must not use (class -> class)");
    }

    /** The check can fail: in the reverse order nearly every edge points the wrong way. */
    @Test
    void theOrderCheckFindsEdgesAgainstAnotherOrder() {
        List<String> reversed = new ArrayList<>(ORDER);
        java.util.Collections.reverse(reversed);
        List<String> found = backwardEdges(reversed);
        assertFalse(found.isEmpty());
        assertFalse(found.stream().noneMatch(e -> e.startsWith("sweep -> prune")), found.toString());
    }

    @Test
    void sparkOnlyInSweepAndDecide() {
        noClasses().that().resideOutsideOfPackages("org.ftl.sweep..", "org.ftl.decide..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
                .because("only the sweep runs on Spark, and decide's decision function is Spark SQL (README, Code layout)")
                .check(MAIN);
    }

    /** Edges from a package to one after it in {@code order}, one line per package pair with an example. */
    private static List<String> backwardEdges(List<String> order) {
        TreeSet<String> edges = new TreeSet<>();
        java.util.Set<String> pairs = new java.util.HashSet<>();
        for (JavaClass c : MAIN) {
            String from = packageOf(c);
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = packageOf(d.getTargetClass());
                if (from == null || to == null || from.equals(to) || to.isEmpty()) {
                    continue;
                }
                int i = from.isEmpty() ? -1 : order.indexOf(from);
                int j = order.indexOf(to);
                if (i < 0 && !from.isEmpty() || j < 0) {
                    edges.add(from + " -> " + to + ": a package missing from ORDER");
                } else if (j > i && pairs.add(from + " -> " + to)) {
                    edges.add(from + " -> " + to + " (" + c.getSimpleName() + " -> " + d.getTargetClass().getSimpleName() + ")");
                }
            }
        }
        return List.copyOf(edges);
    }

    /** The package under org.ftl ("" for org.ftl itself), or null outside FTL. */
    private static String packageOf(JavaClass c) {
        String p = c.getPackageName();
        if (p.equals("org.ftl")) {
            return "";
        }
        return p.startsWith("org.ftl.") ? p.substring("org.ftl.".length()) : null;
    }
}
