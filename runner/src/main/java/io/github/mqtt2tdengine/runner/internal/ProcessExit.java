package io.github.mqtt2tdengine.runner.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * How a command-line main ends: it runs its work, then exits with the work's code; on SIGINT/SIGTERM the work is
 * told to stop ({@link #awaitStop}) and the JVM waits up to 60 s for it to finish (drain, summary) before it halts
 * with the work's code. Not API; may change in any release.
 */
public final class ProcessExit {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean hook = new AtomicBoolean();
    private final AtomicInteger exit = new AtomicInteger(1);

    /**
     * Waits for a stop signal.
     *
     * @param millis how long to wait
     * @return true when the process was asked to stop
     * @throws InterruptedException when interrupted
     */
    public boolean awaitStop(long millis) throws InterruptedException {
        return stop.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Installs the shutdown hook, runs the work on the calling thread and exits the JVM with its code.
     *
     * @param hookThreadName the shutdown hook's thread name
     * @param work returns the exit code
     */
    public void runAndExit(String hookThreadName, IntSupplier work) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hook.set(true);
            stop.countDown();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(exit.get());
        }, hookThreadName));
        int code = work.getAsInt();
        exit.set(code);
        done.countDown();
        if (!hook.get()) {
            System.exit(code);
        }
    }
}
