package io.github.mqtt2tdengine.tdengine.testing;

/** An error the test server answers with, as TDengine's REST interface does: {"code": .., "desc": ..}. */
final class SqlError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    SqlError(int code, String desc) {
        super(desc, null, false, false);
        this.code = code;
    }
}
