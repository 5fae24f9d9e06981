package org.ftl.cost;

/**
 * Fixes how many threads inference may use while latency is measured, and puts the previous setting back
 * afterwards: a latency means nothing without its thread count, and the rest of the job (feature
 * extraction) should keep running on all the threads it had.
 */
public interface ThreadPinning {
    /** Sets the thread count for the calling thread's inference until the returned pin is closed. */
    Pin pin(int threads);

    /** An active setting; closing it restores what was there before. */
    interface Pin extends AutoCloseable {
        @Override
        void close();
    }
}
