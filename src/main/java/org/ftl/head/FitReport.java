package org.ftl.head;

import java.io.Serializable;

/** How a head's optimisation ended: L-BFGS iterations, why it stopped (Breeze's words), the objective reached. */
public record FitReport(int iterations, String stop, double objective) implements Serializable {
    /** Stopped by the iteration limit rather than by the tolerance: the head may be short of the optimum. */
    public boolean hitIterationLimit() {
        return stop.contains("max iterations");
    }
}
