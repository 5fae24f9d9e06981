package org.ftl.sweep;

/** One line that says what went wrong in a task, for the metrics table's error column. */
final class Errors {
    private static final String OUT_OF_MEMORY = OutOfMemoryError.class.getSimpleName();

    private Errors() {
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        // memory is what a reader must see (and what keeps the candidate out of the checkpoints), however wrapped
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                root = t;
                break;
            }
        }
        String msg = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ");
        String where = "";
        StackTraceElement[] st = root.getStackTrace();
        if (st.length > 0) {
            where = " at " + st[0].getClassName().replaceFirst("^.*\\.", "") + "." + st[0].getMethodName();
        }
        String text = root.getClass().getSimpleName() + msg + where;
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    /**
     * True for the error of a candidate whose own task ran out of memory: it is a failed row of this sweep, but not
     * checkpointed, so a resumed run (with more memory, or fewer tasks beside it) computes it again.
     */
    static boolean outOfMemory(String error) {
        return error != null && error.startsWith(OUT_OF_MEMORY);
    }
}
