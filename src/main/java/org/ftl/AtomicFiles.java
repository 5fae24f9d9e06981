package org.ftl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Every local output is written under a temporary name and moved into place: a reader never sees half a file. A
 * write that fails removes its temporary file; a full disk or no permission is an {@link OutOfResource}.
 */
public final class AtomicFiles {
    /** Writes the content to the given temporary file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path file, Writer writer) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                writer.writeTo(tmp);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // a full disk or a folder this user cannot write is not a bug: it is named as such
            throw OutOfResource.whenWriting(file.toString(), e);
        }
    }

    public static void write(Path file, byte[] bytes) {
        write(file, tmp -> Files.write(tmp, bytes));
    }
}
