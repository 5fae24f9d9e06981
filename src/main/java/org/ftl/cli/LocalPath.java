package org.ftl.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A path option of the data tools ({@code ftl tile}, {@code ftl label}), which read and write local folders
 * through java.nio: a plain path or a {@code file:} URI. An {@code hdfs://} or {@code s3a://} URI is a usage
 * error saying so, never a local folder named "hdfs:".
 */
final class LocalPath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        try {
            if (value.regionMatches(true, 0, "file:", 0, 5)) {
                return Path.of(URI.create(value));
            }
            if (value.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                throw new TypeConversionException(value + ": this command reads and writes local files only; copy the "
                        + "input down (e.g. hdfs dfs -get) and the result up (hdfs dfs -put)");
            }
            return Path.of(value);
        } catch (IllegalArgumentException e) { // InvalidPathException too
            throw new TypeConversionException(value + ": not a usable path: " + e.getMessage());
        }
    }
}
