package io.github.mqtt2tdengine.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the library and the clients it uses log through slf4j-simple (the tests' backend, which writes to standard
 * error), kept for a test to search: from {@link #start(boolean)} until {@link #close()}, standard error goes into a
 * buffer, and, when asked, on to the console as well. One at a time: it swaps the JVM's {@code System.err}.
 */
public final class CapturedLog implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream original;

    private CapturedLog(boolean echo) {
        original = System.err;
        OutputStream sink = !echo ? captured : new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                synchronized (captured) {
                    original.write(b);
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (captured) {
                    original.write(b, off, len);
                    captured.write(b, off, len);
                }
            }
        };
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
    }

    /**
     * Starts capturing standard error.
     *
     * @param echo true to write it to the console too
     * @return the capture; close it to restore standard error
     */
    public static CapturedLog start(boolean echo) {
        return new CapturedLog(echo);
    }

    /**
     * Returns what was written so far.
     *
     * @return the text
     */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** Restores standard error. */
    @Override
    public void close() {
        System.setErr(original);
    }
}
