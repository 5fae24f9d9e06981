package org.ftl.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --images}: the local folder of photos that ftl label and ftl tile read (not a data layout). */
final class PhotosOption {
    @Option(names = "--images", converter = LocalPath.class, required = true, paramLabel = "DIR",
            description = "Folder of the photos (png, jpg, jpeg, bmp; not recursive).")
    Path images;
}
