package io.github.mqtt2tdengine.tdengine.internal;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * Sorts TDengine errors into data errors (isolate and dead-letter the row), fatal errors (stop the pipeline) and
 * the rest (retry). Codes are compared on their low 16 bits: the native client reports {@code 0x80000216}, the REST
 * interface {@code 0x216}. Not API; may change in any release.
 */
public final class ErrorCodes {
    /** The native driver's prefix before the server's text: {@code TDengine ERROR (0x8000060b): }. */
    private static final java.util.regex.Pattern NATIVE_PREFIX = java.util.regex.Pattern.compile(
            "(?:TDengine )?ERROR \\(0x[0-9a-fA-F]+\\): ");

    /** The native driver's binding step before the server's text: {@code failed to execute batch bind, reason: }. */
    private static final java.util.regex.Pattern BIND_STEP = java.util.regex.Pattern.compile(
            "failed to [a-z ]+, reason: ");

    /**
     * The WebSocket driver's binding (stmt2, taos-jdbcdriver 3.7.9) reports the server's code only in its message, with
     * vendor code 0: {@code (0x60b):Timestamp data out of range}.
     */
    private static final java.util.regex.Pattern CODE_IN_MESSAGE = java.util.regex.Pattern.compile(
            "\\(0x([0-9a-fA-F]{1,8})\\): ?");

    /**
     * The REST driver answers an HTTP error (401 and the like) with its own code 0x231F and taosAdapter's body, which
     * holds the server's code: {@code {"code":855,"desc":"Authentication failure"}}.
     */
    private static final java.util.regex.Pattern CODE_IN_BODY = java.util.regex.Pattern.compile(
            "\\{\"code\":(\\d+),");
    private static final int REST_HTTP_ERROR = 0x231F;
    private static final java.util.regex.Pattern DESC_IN_BODY = java.util.regex.Pattern.compile(
            "\"desc\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The kind of an error. */
    public enum Kind {
        /** A value, timestamp, name or type in the rows is wrong: no retry helps. */
        DATA,
        /** Credentials, permissions or a missing database: the pipeline must stop. */
        FATAL,
        /** Connection lost, timeout, server busy, anything unknown: retry. */
        RETRIABLE
    }

    private ErrorCodes() {
    }

    /**
     * Classifies an error.
     *
     * @param e the exception
     * @return its kind
     */
    public static Kind classify(SQLException e) {
        if (e instanceof SQLTransientException) {
            return Kind.RETRIABLE;
        }
        int code = code(e);
        String message = e.getMessage() == null ? "" : e.getMessage();
        // the drivers fold some server errors into their own codes: REST answers HTTP 401 as 0x231F with the server's
        // body, and the native driver reports a failed connect as 0x2354 with the server's text. These are fatal
        if (message.contains("Authentication failure") || message.contains("Database not exist")
                || message.contains("Invalid user") || message.contains("Permission denied")) {
            return Kind.FATAL;
        }
        switch (code) {
            case 0x0216: // syntax error, incl. "tinyint data overflow", "invalid unsigned ... data", NaN
            case 0x0214: // invalid value / operation
            case 0x060B: // timestamp data out of range
            case 0x0600: // invalid timestamp
            case 0x062A: // value too long (older servers)
            case 0x2653: // value too long for column/tag
            case 0x2617: // table name cannot contain '.'
            case 0x2602: // invalid table name / too long
            case 0x2605: // invalid column / data type
            case 0x2613: // value out of range
            case 0x2616: // invalid value for a type
                return Kind.DATA;
            case 0x0003: // RPC authentication failure
            case 0x1105: // taosAdapter: no auth info input (a REST request without user and password, or a token)
            case 0x110E: // taosAdapter: login failed
            case 0x1122: // taosAdapter: invalid auth type
            case 0x1123: // taosAdapter: invalid auth format
            case 0x1124: // taosAdapter: invalid basic auth
            case 0x1125: // taosAdapter: invalid taosd auth
            case 0x0357: // authentication failure
            case 0x0353: // invalid user / password
            case 0x0388: // database not exist
            case 0x0390: // database not exist (3.x)
            case 0x0355: // no rights
            case 0x0703: // no rights / permission denied
                return Kind.FATAL;
            default:
                return Kind.RETRIABLE;
        }
    }

    /**
     * Returns whether the error says a table does not exist (an INSERT without USING into a dropped sub-table).
     *
     * @param e the error
     * @return true for TDengine's "Table does not exist" (0x2603; the WebSocket binding's "Table not exists", 0x0618;
     *     the REST test server's 0x2662 too)
     */
    public static boolean isTableMissing(SQLException e) {
        int code = code(e);
        return code == 0x2603 || code == 0x2662 || code == 0x0618;
    }

    /**
     * Returns whether a failure is one that says "success" with code 0 (taosAdapter 3.3.7.5 reports a failed connect
     * of its native client that way now and then): nothing is known to be wrong, and the same request may pass.
     *
     * @param failure the failure, or a pipeline exception caused by one
     * @return true for a driver error with code 0 whose text says "success"
     */
    public static boolean spuriousSuccess(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return code(e) == 0 && e.getMessage() != null
                        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("success");
            }
        }
        return false;
    }

    /**
     * Returns TDengine's error code of an error, its low 16 bits: the driver's vendor code; where that is 0 the code
     * the WebSocket binding puts into its message ({@code (0x60b):...}); where it is the REST driver's HTTP error
     * (0x231F) the code of taosAdapter's body ({@code {"code":855,...}}).
     *
     * @param e the error
     * @return the code, 0 when there is none
     */
    public static int code(SQLException e) {
        int code = e.getErrorCode() & 0xffff;
        String message = e.getMessage();
        if (code == 0 && message != null) {
            java.util.regex.Matcher m = CODE_IN_MESSAGE.matcher(message);
            if (m.find()) {
                code = (int) (Long.parseLong(m.group(1), 16) & 0xffff);
            }
        } else if (code == REST_HTTP_ERROR && message != null) {
            java.util.regex.Matcher m = CODE_IN_BODY.matcher(message);
            if (m.find() && m.group(1).length() < 10) {
                code = (int) (Long.parseLong(m.group(1)) & 0xffff);
            }
        }
        return code;
    }

    /**
     * Describes an error without the SQL text the driver puts into its message (it holds payload values and can be a
     * megabyte long).
     *
     * @param e the exception
     * @return {@code TDengine error 0x2653: Value too long for column/tag: s}
     */
    public static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int desc = message.lastIndexOf("desc: ");
        String text = desc >= 0 ? message.substring(desc + 6) : message;
        // the native driver's own prefix: "TDengine ERROR (0x8000060b): Timestamp data out of range"
        java.util.regex.Matcher prefix = NATIVE_PREFIX.matcher(text);
        if (desc < 0 && prefix.lookingAt()) {
            text = text.substring(prefix.end());
        }
        // parameter binding wraps the server's text: "failed to execute batch bind, reason: Timestamp data out of range"
        java.util.regex.Matcher step = BIND_STEP.matcher(text);
        if (step.lookingAt()) {
            text = text.substring(step.end());
        }
        // the WebSocket binding's "(0x60b):Timestamp data out of range"
        java.util.regex.Matcher inMessage = CODE_IN_MESSAGE.matcher(text);
        if (inMessage.lookingAt()) {
            text = text.substring(inMessage.end());
        }
        // taosAdapter's body of an HTTP error through the REST driver: {"code":4357,"desc":"no auth info input",...}
        java.util.regex.Matcher body = DESC_IN_BODY.matcher(text);
        if (text.startsWith("{\"code\":") && body.find()) {
            text = body.group(1);
        }
        int sql = text.indexOf("sql: ");
        if (sql >= 0) {
            text = text.substring(0, sql).trim();
        }
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return String.format("TDengine error 0x%04X: %s", code(e), text.trim());
    }
}
