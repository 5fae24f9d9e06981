package org.ftl.runs;

import org.ftl.FtlError;

/** Another sweep holds the runs root's lock: this one refuses to start (nothing was done; exit code 2). */
public final class LockHeld extends FtlError {
    public LockHeld(String message) {
        super(message);
    }
}
