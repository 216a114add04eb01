package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.errors.PipelineException;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.errors.TransportException;

/**
 * What a host sees of a failure (thrown by {@code start()}, handed to {@code PipelineListener.onFailed}), in the 0.1
 * names as well: the library's exceptions moved to {@code io.github.mqtt2tdengine.errors} in 0.2, and the 0.1 names
 * are deprecated subclasses of them, so an exception of exactly a moved class is handed over as its 0.1 subclass,
 * with the same message, cause, stack trace and suppressed exceptions. A host's {@code catch} of either name then
 * catches it, and {@code instanceof} either holds. Goes with the 0.1 names in the release after 0.2. Not API.
 */
@SuppressWarnings("removal") // the 0.1 names, on purpose
final class LegacyExceptions {
    private LegacyExceptions() {
    }

    /** The exception as a host sees it: unchanged unless its class is exactly one of the moved ones. */
    static Throwable toHost(Throwable t) {
        return t instanceof RuntimeException r ? toHost(r) : t;
    }

    /** The exception as a host sees it: unchanged unless its class is exactly one of the moved ones. */
    static RuntimeException toHost(RuntimeException e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        PipelineException legacy;
        Class<?> type = e.getClass();
        if (type == RetriableSinkException.class) {
            legacy = new io.github.mqtt2tdengine.RetriableSinkException(m, c);
        } else if (type == SinkException.class) {
            legacy = new io.github.mqtt2tdengine.SinkException(m, c);
        } else if (type == TransportException.class) {
            legacy = new io.github.mqtt2tdengine.TransportException(m, c);
        } else if (type == PayloadException.class) {
            DeadLetterReason reason = ((PayloadException) e).reason();
            legacy = new io.github.mqtt2tdengine.PayloadException(reason, m, c);
        } else if (type == PipelineException.class) {
            legacy = new io.github.mqtt2tdengine.PipelineException(m, c);
        } else {
            return e;
        }
        legacy.setStackTrace(e.getStackTrace());
        for (Throwable s : e.getSuppressed()) {
            legacy.addSuppressed(s);
        }
        return legacy;
    }
}
