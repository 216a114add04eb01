package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.tdengine.SchemaPolicy;
import io.github.mqtt2tdengine.tdengine.WriteMode;

/**
 * The {@code tdengine} section: the TDengine sink ({@code TDengineSink.builder()}). Immutable; every component may be
 * null (not set: the builder's default); {@code toString()} hides the password and the URL's query string.
 *
 * @param url JDBC URL: jdbc:TAOS-WS://host:6041/db (WebSocket), jdbc:TAOS-RS://host:6041/db (REST) or
 *     jdbc:TAOS://host:6030/db (native); required in the config file (the starter may use a DataSource instead)
 * @param database target database; default the URL's path
 * @param user database user; the URL's when not set
 * @param password database password, with user; never logged
 * @param createDatabase create the database if missing at start, with this precision: ms, us or ns; off when not set
 * @param schemaPolicy an existing super table that lacks columns: check fails at start, add_missing adds them;
 *     default check
 * @param maxSqlBytes largest INSERT statement in bytes; default 1000000
 * @param knownSubTables sub-tables remembered as existing; 0 turns it off; default 100000
 * @param writeMode sql (multi-table INSERT text), stmt (parameter binding, not over REST) or auto; default sql
 * @since 0.1.0
 */
public record TdengineSettings(String url, String database, String user, String password, String createDatabase,
        SchemaPolicy schemaPolicy, Integer maxSqlBytes, Integer knownSubTables, WriteMode writeMode) {
    @Override
    public String toString() {
        return "TdengineSettings[url=" + Copies.withoutQuery(url) + ", database=" + database + ", user=" + user
                + ", password=" + (password == null ? null : "****") + ", createDatabase=" + createDatabase
                + ", schemaPolicy=" + schemaPolicy + ", maxSqlBytes=" + maxSqlBytes + ", knownSubTables="
                + knownSubTables + ", writeMode=" + writeMode + "]";
    }
}
