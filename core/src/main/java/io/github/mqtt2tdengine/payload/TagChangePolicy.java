package io.github.mqtt2tdengine.payload;

/**
 * What happens when a message brings tag values other than those its sub-table already has. TDengine's
 * {@code INSERT ... USING ... TAGS} sets tags only when it creates the sub-table and silently keeps the old ones after.
 *
 * @since 0.1.0
 */
public enum TagChangePolicy {
    /**
     * Keep the sub-table's tags as they were first written (TDengine's own behaviour): new tag values in later
     * messages are ignored.
     */
    IGNORE,
    /**
     * Update the sub-table's tags ({@code ALTER TABLE ... SET TAG ...}) before writing the rows of a message that
     * brings new tag values: a sub-table's tags are those of the latest message written to it.
     */
    UPDATE
}
