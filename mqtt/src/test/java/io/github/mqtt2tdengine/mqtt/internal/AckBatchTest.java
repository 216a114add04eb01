package io.github.mqtt2tdengine.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AckBatchTest {

    @Test
    void runsEveryAcknowledgement_inOrder_onTheLoop_fewTasksForABurst() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "loop"));
        try {
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await(); // the loop is busy while the writer acknowledges a batch
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AckBatch acks = new AckBatch(r -> {
                tasks.incrementAndGet();
                loop.execute(r);
            });
            List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
            List<String> threads = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 500; i++) {
                int n = i;
                acks.execute(() -> {
                    ran.add(n);
                    threads.add(Thread.currentThread().getName());
                });
            }
            release.countDown();
            CountDownLatch done = new CountDownLatch(1);
            acks.execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(ran.get(i)).isEqualTo(i);
            }
            assertThat(threads).containsOnly("loop");
            assertThat(tasks.get()).as("one task for the burst, at most one more for the last one").isBetween(1, 2);
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void afterTheLoopEnded_runsThemHere_andAFailingOneDoesNotStopTheRest() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        loop.shutdown();
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        AckBatch acks = new AckBatch(loop);
        AtomicInteger ran = new AtomicInteger();
        assertThatCode(() -> {
            acks.execute(() -> {
                throw new IllegalStateException("connection gone");
            });
            acks.execute(ran::incrementAndGet);
        }).doesNotThrowAnyException();
        assertThat(ran.get()).isEqualTo(1);
    }
}
