package org.ftl.head;

import breeze.linalg.DenseVector;
import breeze.optimize.CachedDiffFunction;
import breeze.optimize.DiffFunction;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Breeze's L-BFGS (the optimiser inside Spark ML's LogisticRegression, shipped with Spark) on an objective
 * written in Java.
 *
 * <p>Java cannot implement Breeze's {@code DiffFunction} in source: the trait inherits Scala's
 * {@code Function1.apply(T): Object} and declares {@code apply(T): double}, a pair javac rejects, and it
 * rejects a Java subclass of any Scala class implementing it for the same reason (so does
 * {@code java.lang.reflect.Proxy}). The JVM itself has no such rule, so the function is made the way the
 * Java and Scala compilers make lambdas: {@link LambdaMetafactory} implements {@code DiffFunction} with its one
 * method that matters, {@code calculate}; {@code valueAt} and {@code gradientAt} are the trait's defaults over
 * it. (Scala's generic {@code Function1.apply(Object)} is left unimplemented: L-BFGS never calls it.) It is
 * wrapped in Breeze's own {@code CachedDiffFunction}, as Spark does, so that the point the line search accepted
 * is not evaluated a second time.
 */
final class Lbfgs {
    /** What L-BFGS minimises: returns f(x) and writes ∇f(x) into {@code gradient}. */
    interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /** The minimiser, the objective there, iterations taken and why Breeze stopped. */
    record Result(double[] x, double value, int iterations, String stop) {
    }

    /** Corrections kept by L-BFGS: Spark ML's choice for LogisticRegression. */
    private static final int HISTORY = 10;

    private static final MethodHandle FACTORY = diffFunctionFactory();

    private Lbfgs() {
    }

    static Result minimize(Objective objective, double[] start, Convergence convergence) {
        LBFGS<DenseVector<Object>> lbfgs = new LBFGS<>(convergence.maxIterations(), HISTORY, convergence.tolerance(),
                DenseVector.space_Double());
        DiffFunction<DenseVector<Object>> cached = new CachedDiffFunction<>(diffFunction(objective),
                DenseVector.canCopyDenseVector(ClassTag$.MODULE$.Double()));
        Iterator<FirstOrderMinimizer.State<DenseVector<Object>, Object, Object>> states =
                lbfgs.iterations(cached, new DenseVector<Object>(start.clone()));
        FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> last = null;
        while (states.hasNext()) {
            last = states.next();
        }
        String stop = last.convergenceReason().isDefined() ? last.convergenceReason().get().reason() : "stopped";
        return new Result(values(last.x()), last.value(), last.iter(), stop);
    }

    @SuppressWarnings("unchecked")
    static DiffFunction<DenseVector<Object>> diffFunction(Objective objective) {
        try {
            return (DiffFunction<DenseVector<Object>>) FACTORY.invoke(objective);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make a Breeze DiffFunction", e);
        }
    }

    /** DiffFunction.calculate(x) = (f(x), ∇f(x)). */
    private static Tuple2<Object, DenseVector<Object>> calculate(Objective objective, DenseVector<Object> x) {
        double[] theta = values(x);
        double[] gradient = new double[theta.length];
        double value = objective.evaluate(theta, gradient);
        return new Tuple2<>(value, new DenseVector<Object>(gradient));
    }

    private static double[] values(DenseVector<Object> x) {
        double[] data = x.data$mcD$sp();
        if (x.offset() == 0 && x.stride() == 1 && data.length == x.length()) {
            return data.clone();
        }
        return x.toArray$mcD$sp(ClassTag$.MODULE$.Double());
    }

    private static MethodHandle diffFunctionFactory() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle impl = lookup.findStatic(Lbfgs.class, "calculate",
                    MethodType.methodType(Tuple2.class, Objective.class, DenseVector.class));
            CallSite site = LambdaMetafactory.metafactory(lookup, "calculate",
                    MethodType.methodType(DiffFunction.class, Objective.class),
                    MethodType.methodType(Tuple2.class, Object.class),
                    impl,
                    MethodType.methodType(Tuple2.class, DenseVector.class));
            return site.getTarget();
        } catch (ReflectiveOperationException | java.lang.invoke.LambdaConversionException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
