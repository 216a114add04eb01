package io.github.mqtt2tdengine.mqtt.internal;

import io.netty.channel.MultithreadEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loop a HiveMQ client session runs on, owned by the session so that {@code close()} can end its
 * thread. Not API; may change in any release.
 *
 * <p>Left to itself, the HiveMQ MQTT Client (1.4.2) runs on a shared event loop group of non-daemon threads that it
 * releases only when a client's session ends: for a persistent session, at its expiry (a day by default), long after
 * {@code disconnect()}. A host's JVM would then not exit when its {@code main} returns. Given an event loop group of
 * its own ({@code MqttClientExecutorConfig.nettyExecutor}), the client never shuts that group down; this class does,
 * after the disconnect.
 *
 * <p>The group's transport must be the one whose channels the client creates: the client picks Netty's native epoll
 * when {@code io.netty.channel.epoll.Epoll} is on the class path and available, NIO otherwise. This class makes the
 * same choice, through reflection, because the epoll classes are optional.
 */
public final class ClientEventLoop {
    private static final String EPOLL = "io.netty.channel.epoll.Epoll";
    private static final String EPOLL_GROUP = "io.netty.channel.epoll.EpollEventLoopGroup";

    private ClientEventLoop() {
    }

    /**
     * Creates a one-thread event loop group of the transport the HiveMQ client uses on this class path.
     *
     * @param threadName the name of its thread
     * @return the group; shut it down with {@link #shutdown(MultithreadEventLoopGroup)}
     */
    public static MultithreadEventLoopGroup create(String threadName) {
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(false);
            return t;
        };
        if (epollAvailable()) {
            try {
                return (MultithreadEventLoopGroup) Class.forName(EPOLL_GROUP, true, loader())
                        .getConstructor(int.class, ThreadFactory.class).newInstance(1, threads);
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("Netty's epoll transport is available but its event loop group "
                        + "cannot be created: " + e, e);
            }
        }
        return new NioEventLoopGroup(1, threads);
    }

    /**
     * Whether the HiveMQ client uses Netty's native epoll transport on this class path (its own rule).
     *
     * @return true for epoll, false for NIO
     */
    static boolean epollAvailable() {
        Class<?> epoll;
        try {
            epoll = Class.forName(EPOLL, true, loader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        try {
            return (Boolean) epoll.getMethod("isAvailable").invoke(null);
        } catch (InvocationTargetException | IllegalAccessException | NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * Shuts the group down at once (no quiet period) and, unless called on its own thread, waits up to 5 s for
     * its thread to end.
     *
     * @param group the group, may be null
     */
    public static void shutdown(MultithreadEventLoopGroup group) {
        if (group == null) {
            return;
        }
        var done = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!group.next().inEventLoop()) {
            done.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static ClassLoader loader() {
        ClassLoader l = com.hivemq.client.mqtt.MqttClient.class.getClassLoader();
        return l != null ? l : ClassLoader.getSystemClassLoader();
    }
}
