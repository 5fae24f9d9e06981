package org.ftl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** One JSON mapper for the project's files (run.json, training reports), written atomically. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new FtlError(file + ": not the JSON expected: " + e.getMessage(), e);
        }
    }

    /** Writes under a temporary name and moves into place, so a reader never sees half a file. */
    public static void writeAtomically(Object value, Path file) {
        AtomicFiles.write(file, write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
