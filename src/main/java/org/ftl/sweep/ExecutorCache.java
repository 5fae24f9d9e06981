package org.ftl.sweep;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What an executor JVM builds once from a broadcast and reuses across tasks: the backbone network, the
 * pruners (with their cached first-layer scores), the variants of a feature round. Keyed by the
 * broadcast's id, so a new sweep or round never sees an old entry; {@link #forget} drops a round's entries.
 */
final class ExecutorCache {
    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();

    /** Built at most once, outside the map's locks (a builder may itself ask the cache for something). */
    private static final class Entry {
        private Object value;

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

    static void forget(long broadcastId) {
        ENTRIES.keySet().removeIf(k -> k.startsWith(broadcastId + "/"));
    }
}
