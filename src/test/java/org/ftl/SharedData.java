package org.ftl;

import java.nio.file.Files;
import java.nio.file.Path;

/** The data sets in ../shared, when this machine has them: tests that use them skip (or fall back) otherwise. */
public final class SharedData {
    private SharedData() {
    }

    /** shared/datasets/crackforest-a (60 480x320 road photos with crack masks), or null. */
    public static Path crackforest() {
        for (Path p : new Path[] {Path.of("../shared/datasets/crackforest-a"), Path.of("/work/shared/datasets/crackforest-a")}) {
            if (Files.isDirectory(p.resolve("images")) && Files.isDirectory(p.resolve("masks"))) {
                return p;
            }
        }
        return null;
    }
}
