package org.ftl.sweep;

/** One line that says what went wrong in a task, for the metrics table's error column. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
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
}
