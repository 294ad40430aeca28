package org.captchasolver.bench;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import org.captchasolver.dataset.Batch;
import org.captchasolver.generate.GeneratorConfig;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Engines;
import org.captchasolver.network.Losses;
import org.captchasolver.network.Networks;
import org.captchasolver.network.Weights;
import org.captchasolver.train.FusedAdam;
import org.captchasolver.train.TrainStep;

/**
 * Training-step throughput with the trainer's own step ({@link TrainStep}): forward, loss,
 * backward and Adam update on batches of random pixels and labels (the step's cost does not depend
 * on the values), so the number is compute alone, without the data pipeline. Also splits a step's
 * time into forward, loss, backward and optimiser update: the profile that says where it goes.
 */
public final class TrainStepBench {
    private TrainStepBench() {}

    /** Speed with what it means: FLOP/s, and its share of the attainable and the nominal peak. */
    public record Result(String architecture, String input, int batch, int steps, double imagesPerSecond, double forwardMflopPerImage,
                         double trainGflops, double shareOfAttainable, double shareOfNominal, double forwardMs, double lossMs,
                         double backwardMs, double updateMs) {}

    /** The generated data's shape: the generator's charset, labels of up to 6. */
    public static ModelSpec spec(Architecture arch) {
        return new ModelSpec(arch, arch.defaultInput(), GeneratorConfig.DEFAULT_CHARSET, 6, 1f);
    }

    public static Result run(ModelSpec spec, int batchSize, int warmup, int steps, PeakFlops.Result peak) {
        return withTrainer(spec, batchSize, warmup, (trainer, loss, adam, batch) -> {
            TrainStep.Phases phases = new TrainStep.Phases();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                TrainStep.run(trainer, loss, adam, spec, batch, phases);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double ips = (double) steps * batchSize / seconds;
            double flops = Networks.forwardFlops(spec);
            // Backward costs about twice the forward pass: a training image is ~3x its forward FLOPs.
            double gflops = 3 * flops * ips / 1e9;
            return new Result(spec.architecture().id(), spec.input().text(), batchSize, steps, ips, flops / 1e6, gflops,
                    gflops / peak.attainableGflops(), gflops / peak.nominalGflops(), phases.forward / 1e6 / steps,
                    phases.loss / 1e6 / steps, phases.backward / 1e6 / steps, phases.update / 1e6 / steps);
        });
    }

    /** What is measured on a warmed-up trainer. */
    interface Measurement<T> {
        T measure(Trainer trainer, Loss loss, FusedAdam adam, Batch batch) throws Exception;
    }

    /** Builds a trainer as training does, runs {@code warmup} steps on a random batch, then the measurement. */
    static <T> T withTrainer(ModelSpec spec, int batchSize, int warmup, Measurement<T> measurement) {
        Engines.pytorch();
        Loss loss = Losses.forTraining(spec, 0f);
        Batch batch = randomBatch(spec, batchSize, new Random(1));
        try (Model model = Model.newInstance("bench", "PyTorch")) {
            model.setBlock(Networks.build(spec));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss))) {
                trainer.initialize(Weights.inputShape(spec, batchSize));
                FusedAdam adam = new FusedAdam(model.getBlock(), Tracker.fixed(1e-4f), 5f, 0f);
                for (int i = 0; i < warmup; i++) {
                    TrainStep.run(trainer, loss, adam, spec, batch);
                }
                return measurement.measure(trainer, loss, adam, batch);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Batch randomBatch(ModelSpec spec, int n, Random rnd) {
        float[] pixels = new float[n * spec.input().size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rnd.nextFloat();
        }
        int[] classes = new int[n * spec.maxLength()];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = 4 + rnd.nextInt(spec.maxLength() - 3);
            for (int k = 0; k < lengths[i]; k++) {
                classes[i * spec.maxLength() + k] = 1 + rnd.nextInt(spec.alphabet().length());
            }
        }
        return new Batch(pixels, n, classes, lengths, List.of(), 0);
    }
}
