package org.ftl.sweep;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What an executor JVM builds once from a broadcast and reuses across tasks: the backbone network, the
 * pruners (with their cached first-layer scores), the baseline's classifier session. Keyed by the
 * broadcast's id, so a new sweep never sees an old entry; {@link #forget} drops a finished sweep's entries.
 */
final class ExecutorCache {
    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();

    /** Built at most once, outside the map's locks (a builder may itself ask the cache for something). */
    private static final class Entry {
        private Object value;

        synchronized Object value() {
            return value;
        }

        synchronized Object get(Supplier<?> make) {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }

    private ExecutorCache() {
    }

    @SuppressWarnings("unchecked")
    static <T> T get(long broadcastId, String what, Supplier<T> make) {
        return (T) ENTRIES.computeIfAbsent(broadcastId + "/" + what, k -> new Entry()).get(make);
    }

    /**
     * Drops every entry built from broadcast {@code broadcastId} and closes those that hold native resources (ONNX
     * Runtime sessions; networks and pruners go to the garbage collector). Only once no task uses them: the driver
     * calls it when the stages that read the broadcast are done. In local mode the driver's JVM is the executor, so a
     * finished sweep's networks are freed before the next sweep in the same JVM (ftl bench criteria runs one after
     * another: without this each kept about 70 MB of native memory, and the 14th of 15 ran out); on a cluster an
     * executor's entries live as long as its application, which is one sweep.
     */
    static void forget(long broadcastId) {
        String prefix = broadcastId + "/";
        for (Iterator<Map.Entry<String, Entry>> it = ENTRIES.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                it.remove();
                Object value = e.getValue().value();
                if (value instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a session that cannot be closed is one less thing to free; the sweep is done
                    }
                }
            }
        }
    }

    /** Entries held, for tests. */
    static int size() {
        return ENTRIES.size();
    }
}
