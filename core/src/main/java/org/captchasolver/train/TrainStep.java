package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.captchasolver.dataset.Batch;
import org.captchasolver.eval.SequenceScores;
import org.captchasolver.model.Decoder;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Losses;
import org.captchasolver.network.NetworkInput;

/** One optimisation step, shared by training runs and the benchmark so both time the same code. */
public final class TrainStep {
    private TrainStep() {}

    /** Nanoseconds spent in each phase of the steps it was given to (the benchmark's profile). */
    public static final class Phases {
        public long forward;
        public long loss;
        public long backward;
        public long update;
    }

    /** Every array the step makes lives in a scope closed at its end, so memory stays flat. */
    public static float run(Trainer trainer, Loss loss, FusedAdam adam, ModelSpec spec, Batch batch) {
        return run(trainer, loss, adam, spec, batch, null);
    }

    /** @param phases null, or where to add the time of each phase */
    public static float run(Trainer trainer, Loss loss, FusedAdam adam, ModelSpec spec, Batch batch, Phases phases) {
        return run(trainer, loss, adam, spec, batch, phases, null);
    }

    /**
     * @param phases null, or where to add the time of each phase
     * @param read   null, or where to count the batch's answers (best path) against its labels
     */
    public static float run(Trainer trainer, Loss loss, FusedAdam adam, ModelSpec spec, Batch batch, Phases phases,
                            SequenceScores read) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            long t0 = System.nanoTime();
            NDArray x = NetworkInput.of(scope, spec, batch.pixels(), batch.size());
            NDList labels = Losses.labels(scope, batch.classes(), batch.lengths(), spec.maxLength());
            float value;
            long t1;
            long t2;
            long t3;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(x));
                t1 = System.nanoTime(); // PyTorch's CPU kernels are synchronous: the forward pass is done
                NDArray l = loss.evaluate(labels, pred);
                t2 = System.nanoTime();
                gc.backward(l);
                value = l.getFloat();
                t3 = System.nanoTime();
                if (read != null) {
                    score(spec, batch, pred.singletonOrThrow(), read);
                }
            }
            adam.step();
            if (phases != null) {
                phases.forward += t1 - t0;
                phases.loss += t2 - t1;
                phases.backward += t3 - t2;
                phases.update += System.nanoTime() - t3;
            }
            return value;
        }
    }

    private static void score(ModelSpec spec, Batch batch, NDArray out, SequenceScores read) {
        var shape = out.getShape();
        List<String> texts = Decoder.bestPathTexts(spec, out.toFloatArray(), (int) shape.get(0), (int) shape.get(1));
        for (int i = 0; i < batch.size(); i++) {
            read.add(batch.entries().get(i).label(), texts.get(i));
        }
    }
}
