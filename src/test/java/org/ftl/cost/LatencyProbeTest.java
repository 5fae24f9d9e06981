package org.ftl.cost;


import org.ftl.FtlError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe's mechanics on a scripted clock: nothing here depends on how fast this machine is. */
class LatencyProbeTest {
    private static final double EPS = 1e-12;

    /** A clock that only moves when a fake inference says it took time. */
    private static final class FakeClock {
        long now;

        long nanoTime() {
            return now;
        }
    }

    /** Thread pinning that records what it was asked and whether it is in force. */
    private static final class FakePinning implements ThreadPinning {
        int current = 8;
        final List<String> calls = new ArrayList<>();

        @Override
        public Pin pin(int threads) {
            int before = current;
            calls.add("pin " + threads);
            current = threads;
            return () -> {
                calls.add("restore " + before);
                current = before;
            };
        }
    }

    /** An inference that takes the scripted milliseconds, one after another (the last one repeats). */
    private static Probe.Fake fake(String name, List<String> log, FakeClock clock, FakePinning threads, double... ms) {
        return new Probe.Fake(name, log, clock, threads, ms);
    }

    private static final class Probe {
        static final class Fake implements LatencyProbe.Inference {
            final String name;
            final List<String> log;
            final FakeClock clock;
            final FakePinning threads;
            final double[] ms;
            int runs;
            final List<Integer> threadsSeen = new ArrayList<>();

            Fake(String name, List<String> log, FakeClock clock, FakePinning threads, double[] ms) {
                this.name = name;
                this.log = log;
                this.clock = clock;
                this.threads = threads;
                this.ms = ms;
            }

            @Override
            public void run() {
                log.add(name);
                threadsSeen.add(threads.current);
                clock.now += Math.round(ms[Math.min(runs, ms.length - 1)] * 1e6);
                runs++;
            }
        }
    }

    private static LatencyProbe probe(CostSettings s, FakeClock clock, FakePinning threads) {
        return new LatencyProbe(s, clock::nanoTime, threads);
    }

    @Test
    void candidateAndBaselineAlternateFromWarmupOn() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        List<String> log = new ArrayList<>();
        Latency l = probe(new CostSettings(1, 2, 3, 0), clock, threads)
                .compare(fake("C", log, clock, threads, 1), fake("B", log, clock, threads, 2));
        assertEquals(List.of("C", "B", "C", "B", /* timed: */ "C", "B", "C", "B", "C", "B"), log);
        assertEquals(3, l.repetitions());
    }

    @Test
    void warmupRunsAreNotTimed() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        List<String> log = new ArrayList<>();
        // two slow warm-up runs each, then steady times
        Latency l = probe(new CostSettings(1, 2, 3, 0), clock, threads).compare(
                fake("C", log, clock, threads, 500, 400, 3, 1, 2),
                fake("B", log, clock, threads, 900, 800, 4, 6, 8));
        assertEquals(2.0, l.candidateMs(), EPS);
        assertEquals(6.0, l.baselineMs(), EPS);
        assertEquals(1.0, l.candidateIqrMs(), EPS); // quartiles of {1, 2, 3}: 1.5 and 2.5
        assertEquals(2.0, l.baselineIqrMs(), EPS);  // of {4, 6, 8}: 5 and 7
        assertEquals(2.0 / 6.0, l.ratio(), EPS);
    }

    @Test
    void medianQuartilesAndRatioOfAnOddAndAnEvenCount() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        List<String> log = new ArrayList<>();
        // one outlier each: the median and the IQR must not follow it
        Latency l = probe(new CostSettings(1, 0, 5, 0), clock, threads).compare(
                fake("C", log, clock, threads, 4, 1, 100, 3, 2),
                fake("B", log, clock, threads, 8, 2, 6, 200, 4));
        assertEquals(3.0, l.candidateMs(), EPS);      // sorted 1 2 3 4 100
        assertEquals(2.0, l.candidateIqrMs(), EPS);   // Q1 = 2, Q3 = 4
        assertEquals(6.0, l.baselineMs(), EPS);       // sorted 2 4 6 8 200
        assertEquals(4.0, l.baselineIqrMs(), EPS);    // Q1 = 4, Q3 = 8
        assertEquals(0.5, l.ratio(), EPS);

        Quantiles even = new Quantiles(new double[] {4, 1, 3, 2});
        assertEquals(2.5, even.median(), EPS);
        assertEquals(1.75, even.quantile(0.25), EPS); // type 7: 1 + 0.75·(2 − 1)
        assertEquals(1.5, even.iqr(), EPS);
        assertEquals(7.0, new Quantiles(new double[] {7}).median(), EPS);
    }

    @Test
    void stopsAtTheMinimumCountWhenThatTakesLongerThanTheMinimumTime() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        List<String> log = new ArrayList<>();
        // each pair takes 20 ms; 7 pairs = 140 ms > 100 ms
        Latency l = probe(new CostSettings(1, 0, 7, 0.1), clock, threads)
                .compare(fake("C", log, clock, threads, 10), fake("B", log, clock, threads, 10));
        assertEquals(7, l.repetitions());
        assertEquals(14, log.size());
    }

    @Test
    void goesOnUntilTheMinimumTimeWhenTheCountIsReachedFirst() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        List<String> log = new ArrayList<>();
        // 3 warm-up pairs (60 ms) do not count towards the time; then 100 ms / 20 ms per pair = 5 pairs
        Latency l = probe(new CostSettings(1, 3, 2, 0.1), clock, threads)
                .compare(fake("C", log, clock, threads, 10), fake("B", log, clock, threads, 10));
        assertEquals(5, l.repetitions());
        assertEquals(2 * (3 + 5), log.size());
    }

    @Test
    void threadCountIsAppliedWhileMeasuringAndRestoredAfter() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        List<String> log = new ArrayList<>();
        Probe.Fake c = fake("C", log, clock, threads, 1);
        Probe.Fake b = fake("B", log, clock, threads, 1);
        Latency l = probe(new CostSettings(3, 2, 4, 0), clock, threads).compare(c, b);
        assertEquals(List.of("pin 3", "restore 8"), threads.calls);
        assertEquals(8, threads.current);
        assertEquals(3, l.threads());
        assertTrue(c.threadsSeen.stream().allMatch(t -> t == 3), c.threadsSeen::toString);
        assertTrue(b.threadsSeen.stream().allMatch(t -> t == 3), b.threadsSeen::toString);
        assertEquals(6, c.threadsSeen.size()); // warm-up included
    }

    @Test
    void threadCountIsRestoredWhenAnInferenceFails() {
        FakeClock clock = new FakeClock();
        FakePinning threads = new FakePinning();
        LatencyProbe p = probe(new CostSettings(1, 1, 3, 0), clock, threads);
        assertThrows(IllegalStateException.class, () -> p.compare(() -> {
        }, () -> {
            throw new IllegalStateException("broken baseline");
        }));
        assertEquals(List.of("pin 1", "restore 8"), threads.calls);
        assertEquals(8, threads.current);
    }

    /** The real knobs: every one takes the count while pinned and gets its old value back. */
    @Test
    void nd4jThreadsSetsAndRestoresAllThreeKnobs() {
        Nd4jThreads.Setting before = Nd4jThreads.current();
        try (ThreadPinning.Pin pin = new Nd4jThreads().pin(1)) {
            assertEquals(new Nd4jThreads.Setting(1, 1, 1), Nd4jThreads.current());
        }
        assertEquals(before, Nd4jThreads.current());
    }

    @Test
    void nd4jThreadsRefusesMoreThanItStartedWith() {
        Nd4jThreads.Setting before = Nd4jThreads.current();
        int tooMany = Nd4jThreads.ceiling() + 1;
        FtlError e = assertThrows(FtlError.class, () -> new Nd4jThreads().pin(tooMany));
        assertTrue(e.getMessage().contains("OMP_NUM_THREADS"), e.getMessage());
        assertEquals(before, Nd4jThreads.current());
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new CostSettings(0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CostSettings(1, -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CostSettings(1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CostSettings(1, 1, 1, Double.NaN));
    }
}
