package org.ftl;

/**
 * An error the user can fix: bad input, a bad setting, a missing file. Its message is one line that
 * names the file or key at fault; the CLI prints it without a stack trace.
 */
public class FtlError extends RuntimeException {
    public FtlError(String message) {
        super(message);
    }

    public FtlError(String message, Throwable cause) {
        super(message, cause);
    }
}
