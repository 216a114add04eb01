package io.github.mqtt2tdengine.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * The threads one pipeline owns ({@code mqtt2td-<name>-<role>}: writers, the lifecycle thread, the watch thread),
 * and the callbacks it is making. It answers the one question that keeps a caller from waiting for itself: may the
 * current thread block until the engine's threads end? Not on a thread the engine owns, and not inside a callback the
 * engine is making (a listener, the dead-letter handler) on whatever thread. Not API.
 *
 * <p>Any thread may call every method.
 */
final class EngineThreads {
    private final String name;
    private final Set<Thread> owned = ConcurrentHashMap.newKeySet();
    /** How deep the current thread is in callbacks of this engine (a listener calling close() from a listener...). */
    private final ThreadLocal<int[]> callbackDepth = ThreadLocal.withInitial(() -> new int[1]);

    EngineThreads(String name) {
        this.name = name;
    }

    /**
     * Creates (not starts) a thread of this engine; it runs with the MDC key set and is remembered for
     * {@link #awaitAllEnded(long)}.
     *
     * @param role the name's last part ({@code writer-0}, {@code lifecycle}, {@code watch})
     * @param daemon whether the JVM may exit while it runs
     * @param body what it runs
     * @return the thread, not started
     */
    Thread newThread(String role, boolean daemon, Runnable body) {
        Thread t = new Thread(() -> {
            MDC.put(DefaultSyncPipeline.MDC_KEY, name);
            try {
                body.run();
            } finally {
                MDC.remove(DefaultSyncPipeline.MDC_KEY);
            }
        }, "mqtt2td-" + name + "-" + role);
        t.setDaemon(daemon);
        owned.add(t);
        return t;
    }

    /** A factory for an executor's threads, all named {@code mqtt2td-<name>-<role>}. */
    ThreadFactory factory(String role, boolean daemon) {
        return r -> newThread(role, daemon, r);
    }

    /**
     * Runs a callback into host code (a listener) marked as such, so that a {@code close()} it makes does not wait.
     *
     * @param callback the call
     */
    void callback(Runnable callback) {
        int[] depth = callbackDepth.get();
        depth[0]++;
        try {
            callback.run();
        } finally {
            if (--depth[0] == 0) {
                callbackDepth.remove();
            }
        }
    }

    /** Whether the current thread may block until the engine's threads end (it is none of them, in no callback). */
    boolean mayWait() {
        if (owned.contains(Thread.currentThread())) {
            return false;
        }
        int[] depth = callbackDepth.get();
        if (depth[0] == 0) {
            callbackDepth.remove();
            return true;
        }
        return false;
    }

    /**
     * Waits until every thread this engine created has ended, or until the deadline.
     *
     * @param deadline a {@link System#nanoTime()} deadline
     * @return true when none is alive
     */
    boolean awaitAllEnded(long deadline) {
        boolean again = true;
        while (again) {
            again = false;
            for (Thread t : owned) {
                if (!t.isAlive()) {
                    continue;
                }
                again = true;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** The names of this engine's threads still alive (for a WARN). */
    String alive() {
        StringBuilder sb = new StringBuilder();
        for (Thread t : owned) {
            if (t.isAlive()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(t.getName());
            }
        }
        return sb.toString();
    }
}
