package io.github.mqtt2tdengine.mqtt.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns client-library exceptions into one readable clause. Not API.
 */
final class Errors {
    private Errors() {
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Describes why a connection failed, from the most specific cause in the chain. */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateExpiredException) {
                return "TLS handshake failed: the broker's certificate has expired (" + c.getMessage() + ")";
            }
            if (c instanceof java.security.cert.CertificateNotYetValidException) {
                return "TLS handshake failed: the broker's certificate is not valid yet (" + c.getMessage() + ")";
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return "TLS handshake failed: " + deepestMessage(c);
            }
            if (c instanceof ConnectException) {
                return "connection refused (" + c.getMessage() + ")";
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return "unknown host (" + c.getMessage() + ")";
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        return deepestMessage(e);
    }

    static String deepestMessage(Throwable t) {
        String message = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return message;
    }
}
