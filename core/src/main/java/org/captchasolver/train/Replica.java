package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.captchasolver.dataset.EntryView;
import org.captchasolver.dataset.IndexEntry;

/**
 * One of several processes that train the same network together by local SGD: each trains on its own shard of the
 * training split (every {@code replicas}-th image from {@code rank}) and every {@code syncEvery} steps, and at the end
 * of each epoch, all of them replace their weights by the mean of everyone's ({@link Sync}); they start from replica
 * 0's initial weights. Validation then sees the same weights in every replica, so all of them take the same schedule
 * decisions (LR cuts, anneal, early stop) and meet at every synchronisation. The weight average of the default recipe
 * is averaged as well.
 *
 * @param rank      this replica, 0 to {@code replicas - 1}; replica 0 writes the model
 * @param replicas  how many train together
 * @param syncEvery optimiser steps between synchronisations (besides the one at each epoch's end)
 * @param sync      exchanges the flattened weights with the other replicas
 */
public record Replica(int rank, int replicas, int syncEvery, Sync sync) {

    /** The collective operation replicas meet at. */
    @FunctionalInterface
    public interface Sync {
        /**
         * Sends this replica's {@code weights} to the others and returns every replica's, in rank order.
         *
         * @throws IOException when another replica cannot be reached
         */
        float[][] allGather(float[] weights) throws IOException;
    }

    /** @throws IllegalArgumentException when the rank is outside 0 to {@code replicas - 1} or {@code syncEvery} < 1 */
    public Replica {
        if (replicas < 1 || rank < 0 || rank >= replicas || syncEvery < 1) {
            throw new IllegalArgumentException("replica " + rank + " of " + replicas + ", sync every " + syncEvery + " steps");
        }
    }

    /**
     * This replica's shard: every {@code replicas}-th entry from {@code rank}, all shards of one size (the remainder is
     * left out) so that every replica takes as many steps an epoch.
     */
    List<IndexEntry> shard(List<IndexEntry> train) {
        int size = train.size() / replicas;
        int[] positions = new int[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i * replicas + rank;
        }
        return new EntryView(train, positions);
    }

    /** Replaces the block's weights (batch-norm statistics included) by the replicas' mean. */
    void average(Block block) throws IOException {
        exchange(block, false);
    }

    /** Replaces the block's weights by replica 0's: the replicas start from one network. */
    void adoptFirst(Block block) throws IOException {
        exchange(block, true);
    }

    private void exchange(Block block, boolean first) throws IOException {
        List<FloatBuffer> memory = new ArrayList<>();
        int total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            memory.add(ParameterMemory.of(array));
            total += Math.toIntExact(array.size());
        }
        float[] flat = new float[total];
        int offset = 0;
        for (FloatBuffer m : memory) {
            m.get(0, flat, offset, m.capacity());
            offset += m.capacity();
        }
        float[][] all = sync.allGather(flat);
        if (all.length != replicas) {
            throw new IOException("replica " + rank + ": " + all.length + " replicas answered, not " + replicas);
        }
        for (float[] other : all) {
            if (other.length != total) {
                throw new IOException("replica " + rank + ": the replicas' networks differ (" + other.length + " weights against "
                        + total + ")");
            }
        }
        float[] result = first ? all[0] : mean(all);
        offset = 0;
        for (FloatBuffer m : memory) {
            m.put(0, result, offset, m.capacity());
            offset += m.capacity();
        }
    }

    private static float[] mean(float[][] all) {
        float[] mean = new float[all[0].length];
        for (float[] v : all) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= all.length;
        }
        return mean;
    }

    /** Refuses settings under which replicas could decide differently and never meet again. */
    void check(TrainConfig config) {
        if (config.maxMinutes() > 0) {
            throw new IllegalArgumentException("replicas train for a number of epochs: set the time budget to 0 (each "
                    + "replica's clock would stop it at a different epoch)");
        }
        if (config.unlabelled() != null) {
            throw new IllegalArgumentException("replicas do not self-train on unlabelled images");
        }
    }
}
