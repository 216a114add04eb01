package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.Secret;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps a sink's secrets out of what the driver says. The TDengine JDBC driver (3.7.9) puts its whole WebSocket
 * request into the message of a request that timed out, the connect request with its {@code "password"} included,
 * and its slave-cluster connect error carries the URL with a TDengine Cloud {@code token}. Every message and cause
 * chain the sink passes on goes through {@link #text(String)} or {@link #exception(SQLException)}: the known secret
 * values, any JSON {@code "password"} field and any {@code token=} or {@code password=} URL parameter become
 * {@code ****}. Immutable. Not API; may change in any release.
 */
public final class Redaction {
    private static final String MASK = "****";
    private static final Pattern JSON_PASSWORD = Pattern.compile("(\"password\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern URL_SECRET = Pattern.compile("(?i)([?&](?:token|password)=)[^&\\s\"'#]*");
    private static final Redaction NONE = new Redaction(List.of());

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * Returns the redaction of a sink's secrets: the password and the URL's {@code token} and {@code password}
     * parameters.
     *
     * @param url the JDBC URL, or null
     * @param password the password, or null
     * @return the redaction
     */
    public static Redaction of(String url, Secret password) {
        List<String> secrets = new ArrayList<>();
        if (password != null && !password.isEmpty()) {
            secrets.add(password.reveal());
        }
        int q = url == null ? -1 : url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? "" : pair.substring(0, eq).toLowerCase(Locale.ROOT);
                if ((name.equals("token") || name.equals("password")) && eq + 1 < pair.length()) {
                    String value = pair.substring(eq + 1);
                    secrets.add(value);
                    String decoded = java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
                    if (!decoded.equals(value)) {
                        secrets.add(decoded);
                    }
                }
            }
        }
        // the longest first, so that a secret containing another is masked whole
        secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return new Redaction(List.copyOf(secrets));
    }

    /**
     * Returns a redaction that knows no secret values (it still masks JSON passwords and URL tokens).
     *
     * @return the redaction
     */
    public static Redaction none() {
        return NONE;
    }

    /**
     * Masks the secrets in a text.
     *
     * @param text a message, or null
     * @return the text with every secret as {@code ****}, or null
     */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        String out = JSON_PASSWORD.matcher(text).replaceAll("$1\"" + MASK + "\"");
        out = URL_SECRET.matcher(out).replaceAll("$1" + MASK);
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /**
     * Returns a copy of a driver error fit to be passed on: the same SQL state, vendor code and stack trace, the
     * message masked, and the cause chain replaced by masked copies (each naming the original class).
     *
     * @param e the driver's error
     * @return the copy (the same instance when nothing in it needed masking)
     */
    public SQLException exception(SQLException e) {
        if (clean(e)) {
            return e;
        }
        SQLException copy = new SQLException(text(e.getMessage()), e.getSQLState(), e.getErrorCode(), masked(
                e.getCause(), 0));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private boolean clean(Throwable t) {
        for (int i = 0; t != null && i < 20; i++, t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.equals(text(m))) {
                return false;
            }
        }
        return true;
    }

    private Throwable masked(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return null;
        }
        Redacted copy = new Redacted(t.getClass().getName() + (t.getMessage() == null ? "" : ": "
                + text(t.getMessage())), masked(t.getCause(), depth + 1));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** A masked copy of a driver exception in a cause chain. */
    static final class Redacted extends Exception {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
