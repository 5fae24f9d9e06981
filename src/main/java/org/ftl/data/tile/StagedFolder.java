package org.ftl.data.tile;

import org.ftl.FtlError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An output folder that appears only when complete: everything is written into a hidden sibling
 * ({@code .NAME.tmp-…}) and renamed into place by {@link #commit()}. A run that dies half-way leaves no
 * folder that looks like a finished data set, and {@link #close()} removes the partial one it can.
 */
final class StagedFolder implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedFolder(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /** Refuses a target that is a file, or a non-empty folder unless {@code overwrite}; then creates the staging folder. */
    static StagedFolder begin(Path target, boolean overwrite) {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new FtlError("output folder " + target + " cannot be the file-system root");
        }
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new FtlError("output folder " + target + " is a file");
            }
            if (!overwrite && !isEmpty(abs)) {
                throw new FtlError("output folder " + target + " is not empty: choose another --out or add --overwrite");
            }
        }
        try {
            Files.createDirectories(abs.getParent());
            Path staging = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
            Files.createDirectory(staging);
            return new StagedFolder(abs, staging);
        } catch (IOException e) {
            throw new FtlError("cannot create a folder beside " + target + ": " + e.getMessage(), e);
        }
    }

    /** Where to write. */
    Path path() {
        return staging;
    }

    /** Moves the staged folder into place, replacing the target (and its old contents) if it exists. */
    void commit() {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staging + " to " + target, e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                // the run already failed for a reason worth more than this; the hidden folder can be removed by hand
            }
        }
    }

    static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
