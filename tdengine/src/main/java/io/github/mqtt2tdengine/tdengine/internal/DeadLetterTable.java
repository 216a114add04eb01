package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The layout of the dead-letter super table and the SQL that creates, checks, writes, reads and deletes its rows.
 * Every value enters SQL as an escaped string literal ({@link Sql#appendString}) or, for payload bytes, as a hex
 * literal ({@code '\x00ff'}), so no payload or topic byte reaches SQL unescaped. Not API; may change in any release.
 *
 * <p>One dead letter is 1 to n rows of one sub-table ("parts"), with consecutive timestamps: the payload is cut into
 * pieces of {@link #PART_BYTES}, because a TDengine row holds at most 65,531 bytes.
 */
public final class DeadLetterTable {
    /** Primary key: when the row was stored, unique within the sub-table. */
    public static final String TS = "ts";
    /** When the pipeline received the message, in the database's precision. */
    public static final String RECEIVED_AT = "received_at";
    /** The original MQTT topic ({@code topic} is a TDengine keyword); in part 0 only. */
    public static final String TOPIC = "mqtt_topic";
    /** The QoS the message arrived with. */
    public static final String QOS = "qos";
    /** The reason's sentence; in part 0 only. */
    public static final String DETAIL = "detail";
    /** This part's payload bytes. */
    public static final String PAYLOAD = "payload";
    /** The original payload's length, whole (also when truncated). */
    public static final String PAYLOAD_LENGTH = "payload_length";
    /** This row's part number, from 0. */
    public static final String PART = "part";
    /** How many parts the dead letter has. */
    public static final String PARTS = "parts";
    /** Whether the payload (or the topic) is not stored whole: such a dead letter is not replayed. */
    public static final String TRUNCATED = "truncated";
    /** Tag: the pipeline's name. */
    public static final String PIPELINE = "pipeline";
    /** Tag: the {@code DeadLetterReason} name. */
    public static final String REASON = "reason";
    /** Tag: the destination instance that stored it (one per destination object, so two never share a row). */
    public static final String INSTANCE = "instance";

    /** Payload bytes per row: {@value}. */
    public static final int PART_BYTES = 49_152;
    /** The topic column's length in bytes (UTF-8): {@value}. */
    public static final int TOPIC_BYTES = 8_192;
    /** The detail column's length in bytes (UTF-8): {@value}. */
    public static final int DETAIL_BYTES = 4_096;
    /** The pipeline tag's length in bytes (UTF-8): {@value}. */
    public static final int PIPELINE_BYTES = 1_024;
    /** The reason tag's length: {@value}. */
    public static final int REASON_BYTES = 32;
    /** The instance tag's length: {@value}. */
    public static final int INSTANCE_BYTES = 64;

    private static final String COLUMN_LIST = " (`" + TS + "`,`" + RECEIVED_AT + "`,`" + TOPIC + "`,`" + QOS + "`,`"
            + DETAIL + "`,`" + PAYLOAD + "`,`" + PAYLOAD_LENGTH + "`,`" + PART + "`,`" + PARTS + "`,`" + TRUNCATED
            + "`) VALUES ";
    private static final String SELECT_LIST = "SELECT CAST(`" + TS + "` AS BIGINT), CAST(`" + RECEIVED_AT
            + "` AS BIGINT), `" + TOPIC + "`, `" + QOS + "`, `" + DETAIL + "`, `" + PAYLOAD + "`, `" + PAYLOAD_LENGTH
            + "`, `" + PART + "`, `" + PARTS + "`, `" + TRUNCATED + "` FROM ";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String database;
    private final String superTable;
    private final TableSchema schema;

    /**
     * Describes the dead-letter super table of a database.
     *
     * @param database the database
     * @param superTable the super table's name
     */
    public DeadLetterTable(String database, String superTable) {
        Sql.checkIdentifier(superTable);
        this.database = database;
        this.superTable = superTable;
        this.schema = new TableSchema(superTable, List.of(
                new SchemaColumn(TS, ColumnType.TIMESTAMP),
                new SchemaColumn(RECEIVED_AT, ColumnType.TIMESTAMP),
                new SchemaColumn(TOPIC, ColumnType.varchar(TOPIC_BYTES)),
                new SchemaColumn(QOS, ColumnType.TINYINT),
                new SchemaColumn(DETAIL, ColumnType.varchar(DETAIL_BYTES)),
                new SchemaColumn(PAYLOAD, ColumnType.varbinary(PART_BYTES)),
                new SchemaColumn(PAYLOAD_LENGTH, ColumnType.INT),
                new SchemaColumn(PART, ColumnType.INT),
                new SchemaColumn(PARTS, ColumnType.INT),
                new SchemaColumn(TRUNCATED, ColumnType.BOOL)), List.of(
                new SchemaColumn(PIPELINE, ColumnType.varchar(PIPELINE_BYTES)),
                new SchemaColumn(REASON, ColumnType.varchar(REASON_BYTES)),
                new SchemaColumn(INSTANCE, ColumnType.varchar(INSTANCE_BYTES))));
    }

    /**
     * Returns the database.
     *
     * @return the name
     */
    public String database() {
        return database;
    }

    /**
     * Returns the super table's name.
     *
     * @return the name
     */
    public String superTable() {
        return superTable;
    }

    /**
     * Returns {@code `db`.`super table`}.
     *
     * @return the qualified name
     */
    public String qualifiedName() {
        return Sql.qualified(database, superTable);
    }

    /**
     * Returns the layout as a schema.
     *
     * @return the columns and tags
     */
    public TableSchema schema() {
        return schema;
    }

    /**
     * Returns {@code CREATE STABLE IF NOT EXISTS} for the layout.
     *
     * @return the statement
     */
    public String createSql() {
        return Sql.createStable(database, schema);
    }

    /**
     * Compares an existing super table with the layout.
     *
     * @param st a statement
     * @return one sentence per difference that keeps rows from being written or read; empty when it fits
     * @throws SQLException as the driver reports it (0x2603 when the table does not exist)
     */
    public List<String> check(Statement st) throws SQLException {
        List<SchemaCheck.Described> described = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("DESCRIBE " + qualifiedName())) {
            while (rs.next()) {
                String note = rs.getString(4);
                described.add(new SchemaCheck.Described(rs.getString(1), rs.getString(2), rs.getInt(3),
                        note != null && note.trim().equalsIgnoreCase("TAG")));
            }
        }
        SchemaCheck.Result r = SchemaCheck.compare(schema, described);
        List<String> problems = new ArrayList<>(r.mismatches());
        for (SchemaColumn c : r.missingColumns()) {
            problems.add("super table `" + superTable + "` lacks column `" + c.name() + "` " + c.type().sql());
        }
        for (SchemaColumn c : r.missingTags()) {
            problems.add("super table `" + superTable + "` lacks tag `" + c.name() + "` " + c.type().sql());
        }
        return problems;
    }

    /**
     * Reads the database's precision.
     *
     * @param st a statement
     * @return the precision, or null when the database does not exist
     * @throws SQLException as the driver reports it
     */
    public TimePrecision precision(Statement st) throws SQLException {
        String sql = "SELECT `precision` FROM information_schema.ins_databases WHERE name = "
                + Sql.appendString(new StringBuilder(), database);
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? TimePrecision.fromSqlName(rs.getString(1)) : null;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * One row to write: one part of one dead letter.
     *
     * @param subTable the sub-table
     * @param pipeline the pipeline tag (cleaned, fits its length)
     * @param reason the reason tag
     * @param instance the instance tag
     * @param ts the row's timestamp
     * @param receivedAt the receive time in the database's precision
     * @param topic the topic (cleaned, fits its length); null in parts after the first
     * @param qos the QoS
     * @param detail the detail (cleaned, fits its length); null in parts after the first
     * @param payload the payload the part is cut from
     * @param offset where this part starts
     * @param length this part's byte count
     * @param payloadLength the original payload's whole length
     * @param part this part's number
     * @param parts the number of parts
     * @param truncated whether the dead letter is not stored whole
     */
    public record Part(String subTable, String pipeline, String reason, String instance, long ts, long receivedAt,
            String topic, int qos, String detail, byte[] payload, int offset, int length, int payloadLength, int part,
            int parts, boolean truncated) {
    }

    /** Takes one statement as soon as it is built (so a large payload's statements are not all held at once). */
    @FunctionalInterface
    public interface Statements {
        /**
         * Takes a statement.
         *
         * @param sql the statement
         * @throws SQLException when running it fails
         */
        void accept(String sql) throws SQLException;
    }

    /**
     * Builds the INSERT statements for rows: one statement while it stays within {@code maxSqlBytes}, each sub-table's
     * rows in one clause ({@code INSERT INTO `sub` USING `st` (tags) TAGS (...) (columns) VALUES (...)(...)}).
     *
     * @param parts the rows, grouped by sub-table by the caller or not
     * @param qualified whether table names carry the database
     * @param maxSqlBytes the longest statement; a single row longer than this still gets a statement of its own
     * @param out takes each statement, in order
     * @throws SQLException as {@code out} throws it
     */
    public void inserts(List<Part> parts, boolean qualified, int maxSqlBytes, Statements out) throws SQLException {
        StringBuilder sql = new StringBuilder();
        int bytes = 0;
        String clauseOf = null;
        StringBuilder row = new StringBuilder(PART_BYTES * 2 + 512);
        for (Part p : parts) {
            row.setLength(0);
            appendRow(row, p);
            int rowBytes = Sql.utf8Length(row, 0);
            String header = p.subTable().equals(clauseOf) ? null : clauseHeader(p, qualified);
            int headerBytes = header == null ? 0 : Sql.utf8Length(header, 0);
            if (sql.length() > 0 && bytes + headerBytes + rowBytes > maxSqlBytes) {
                out.accept(sql.toString());
                sql.setLength(0);
                bytes = 0;
                if (header == null) {
                    header = clauseHeader(p, qualified);
                    headerBytes = Sql.utf8Length(header, 0);
                }
            }
            if (sql.length() == 0) {
                sql.append("INSERT INTO");
                bytes = "INSERT INTO".length();
            }
            if (header != null) {
                sql.append(header);
                bytes += headerBytes;
                clauseOf = p.subTable();
            }
            sql.append(row);
            bytes += rowBytes;
        }
        if (sql.length() > 0) {
            out.accept(sql.toString());
        }
    }

    private String clauseHeader(Part p, boolean qualified) {
        StringBuilder sb = new StringBuilder(256).append(' ');
        table(sb, p.subTable(), qualified).append(" USING ");
        table(sb, superTable, qualified).append(" (`").append(PIPELINE).append("`,`").append(REASON).append("`,`")
                .append(INSTANCE).append("`) TAGS (");
        Sql.appendString(sb, p.pipeline()).append(',');
        Sql.appendString(sb, p.reason()).append(',');
        Sql.appendString(sb, p.instance()).append(')');
        return sb.append(COLUMN_LIST).toString();
    }

    private static void appendRow(StringBuilder sb, Part p) {
        sb.append('(').append(p.ts()).append(',').append(p.receivedAt()).append(',');
        if (p.topic() == null) {
            sb.append("NULL");
        } else {
            Sql.appendString(sb, p.topic());
        }
        sb.append(',').append(p.qos()).append(',');
        if (p.detail() == null) {
            sb.append("NULL");
        } else {
            Sql.appendString(sb, p.detail());
        }
        sb.append(",'\\x");
        byte[] b = p.payload();
        for (int i = p.offset(), end = p.offset() + p.length(); i < end; i++) {
            sb.append(HEX[(b[i] >> 4) & 0xf]).append(HEX[b[i] & 0xf]);
        }
        sb.append("',").append(p.payloadLength()).append(',').append(p.part()).append(',').append(p.parts())
                .append(',').append(p.truncated()).append(')');
    }

    private StringBuilder table(StringBuilder sb, String table, boolean qualified) {
        if (qualified) {
            Sql.appendIdentifier(sb, database).append('.');
        }
        return Sql.appendIdentifier(sb, table);
    }

    // ------------------------------------------------------------------ reading and deleting

    /**
     * Returns the query that lists the sub-tables holding dead letters stored from a time on, of a reason and a
     * pipeline, each with its last row's timestamp (sub-tables without such rows are not listed).
     *
     * @param fromTs the first timestamp selected
     * @param reason the reason's name, or null for every reason
     * @param pipeline the pipeline's name as stored (see {@link #clean}), or null for every pipeline
     * @return {@code SELECT tbname, CAST(LAST(`ts`) AS BIGINT) FROM `db`.`st` WHERE ... PARTITION BY tbname}
     */
    public String listSubTables(long fromTs, String reason, String pipeline) {
        StringBuilder sb = new StringBuilder("SELECT tbname, CAST(LAST(`").append(TS).append("`) AS BIGINT) FROM ")
                .append(qualifiedName()).append(" WHERE `").append(TS).append("` >= ").append(fromTs);
        if (reason != null) {
            sb.append(" AND `").append(REASON).append("` = ");
            Sql.appendString(sb, reason);
        }
        if (pipeline != null) {
            sb.append(" AND `").append(PIPELINE).append("` = ");
            Sql.appendString(sb, pipeline);
        }
        return sb.append(" PARTITION BY tbname").toString();
    }

    /**
     * Returns the query of one page of a sub-table's rows, in timestamp order.
     *
     * @param subTable the sub-table
     * @param fromTs the first timestamp (inclusive)
     * @param limit rows at most
     * @param qualified whether the name carries the database
     * @return the query; read its rows with {@link #read}
     */
    public String selectPage(String subTable, long fromTs, int limit, boolean qualified) {
        StringBuilder sb = new StringBuilder(SELECT_LIST);
        table(sb, subTable, qualified).append(" WHERE `").append(TS).append("` >= ").append(fromTs).append(" ORDER BY `")
                .append(TS).append("` LIMIT ").append(limit);
        return sb.toString();
    }

    /**
     * Returns the statement that deletes the rows of one dead letter (TDengine deletes only a definite time range:
     * {@code OR} and {@code IN} are refused, 0x2655).
     *
     * @param subTable the sub-table
     * @param firstTs the first part's timestamp
     * @param lastTs the last part's timestamp
     * @param qualified whether the name carries the database
     * @return {@code DELETE FROM `sub` WHERE `ts` >= first AND `ts` <= last}
     */
    public String delete(String subTable, long firstTs, long lastTs, boolean qualified) {
        StringBuilder sb = new StringBuilder("DELETE FROM ");
        table(sb, subTable, qualified).append(" WHERE `").append(TS).append("` >= ").append(firstTs).append(" AND `")
                .append(TS).append("` <= ").append(lastTs);
        return sb.toString();
    }

    /**
     * One row as read back.
     *
     * @param ts the timestamp
     * @param receivedAt the receive time in the database's precision
     * @param topic the topic, null in parts after the first
     * @param qos the QoS
     * @param detail the detail, null in parts after the first
     * @param payload this part's bytes (never null)
     * @param payloadLength the original payload's length
     * @param part the part number
     * @param parts the number of parts
     * @param truncated whether the dead letter is not stored whole
     */
    public record Stored(long ts, long receivedAt, String topic, int qos, String detail, byte[] payload,
            int payloadLength, int part, int parts, boolean truncated) {
    }

    /**
     * Reads the current row of a {@link #selectPage} result.
     *
     * @param rs the result set
     * @param rest whether the connection is REST's, whose driver gives VARBINARY as the JSON text of its hex digits
     * @return the row
     * @throws SQLException as the driver reports it
     */
    public static Stored read(ResultSet rs, boolean rest) throws SQLException {
        long ts = rs.getLong(1);
        long receivedAt = rs.getLong(2);
        String topic = rs.getString(3);
        int qos = rs.getInt(4);
        String detail = rs.getString(5);
        byte[] payload = rs.getBytes(6);
        if (rest && payload != null) {
            payload = fromRestHex(payload);
        }
        int length = rs.getInt(7);
        int part = rs.getInt(8);
        int parts = rs.getInt(9);
        boolean truncated = rs.getBoolean(10);
        return new Stored(ts, receivedAt, topic, qos, detail, payload == null ? new byte[0] : payload, length, part,
                parts, truncated);
    }

    /**
     * Decodes a VARBINARY value as the REST driver (taos-jdbcdriver 3.7.9) gives it: taosAdapter's JSON string of hex
     * digits, quotes included ({@code "6162"} for {@code ab}).
     */
    static byte[] fromRestHex(byte[] text) {
        int from = 0;
        int to = text.length;
        if (to >= 2 && text[0] == '"' && text[to - 1] == '"') {
            from = 1;
            to--;
        }
        return HexFormat.of().parseHex(new String(text, from, to - from, StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------ values

    /**
     * Makes text fit a column: U+0000 (which TDengine SQL cannot carry) becomes U+FFFD, and text longer than
     * {@code maxBytes} in UTF-8 is cut at a character boundary.
     *
     * @param text the text
     * @param maxBytes the column's length
     * @return the text as stored
     */
    public static String clean(String text, int maxBytes) {
        String s = text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
        if (s.length() * 3 <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int n = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)) ? 4 : 3;
            if (bytes + n > maxBytes) {
                return s.substring(0, i);
            }
            bytes += n;
            if (n == 4) {
                i++;
            }
        }
        return s;
    }

    /**
     * Converts an instant to a timestamp in a precision (rounded down).
     *
     * @param at the instant
     * @param precision the precision
     * @return the timestamp
     */
    public static long toUnits(Instant at, TimePrecision precision) {
        long perSecond = precision.unitsPerSecond();
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), perSecond),
                at.getNano() / (1_000_000_000L / perSecond));
    }

    /**
     * Converts a timestamp in a precision to an instant.
     *
     * @param units the timestamp
     * @param precision its precision
     * @return the instant
     */
    public static Instant fromUnits(long units, TimePrecision precision) {
        long perSecond = precision.unitsPerSecond();
        return Instant.ofEpochSecond(Math.floorDiv(units, perSecond),
                Math.floorMod(units, perSecond) * (1_000_000_000L / perSecond));
    }
}
