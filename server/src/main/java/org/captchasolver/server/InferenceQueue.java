package org.captchasolver.server;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Solution;

/**
 * Merges concurrent requests into shared forward passes: one worker per core takes whatever images
 * are waiting (up to a batch) and solves them together. Under load a batched pass costs far less
 * per image than one pass per request; with one request in flight it adds nothing but a queue hop.
 */
final class InferenceQueue implements AutoCloseable {
    private record Job(BufferedImage image, CompletableFuture<Solution> answer) {}

    private final CaptchaSolver solver;
    private final int maxBatch;
    private final BlockingQueue<Job> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean open = true;

    InferenceQueue(CaptchaSolver solver, int workers, int maxBatch) {
        this.solver = solver;
        this.maxBatch = maxBatch;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, "inference-" + (i + 1));
            t.setDaemon(true);
            t.start();
            this.workers.add(t);
        }
    }

    CompletableFuture<Solution> submit(BufferedImage image) {
        CompletableFuture<Solution> answer = new CompletableFuture<>();
        waiting.add(new Job(image, answer));
        return answer;
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (open) {
            try {
                batch.add(waiting.take());
            } catch (InterruptedException e) {
                return;
            }
            waiting.drainTo(batch, maxBatch - 1);
            try {
                List<Solution> solved = solver.solveAll(batch.stream().map(Job::image).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer().complete(solved.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(j -> j.answer().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    @Override
    public void close() {
        open = false;
        workers.forEach(Thread::interrupt);
    }
}
