package io.github.mqtt2tdengine.tdengine.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The sub-tables a sink knows to exist, with the tags it last wrote to each: an INSERT into a known sub-table needs
 * no {@code USING ... TAGS} clause (shorter statements, less work for the client's parser), and under
 * {@code TagChangePolicy.UPDATE} the tags are compared here before the rows are written. Bounded: past its capacity
 * new sub-tables are not remembered (their INSERTs keep the {@code USING} clause, which is always correct). Thread-safe;
 * writers partition sub-tables, so entries are not contended. Not API; may change in any release.
 */
public final class SubTables {
    /** Tags of a sub-table found in the database but not written by this sink yet (empty, so never changed). */
    private static final Object[] UNKNOWN_TAGS = new Object[0];

    /**
     * Returns the tags of a sub-table found in the database but not written by this sink yet.
     *
     * @return an empty array, the same each time
     */
    public static Object[] unknownTags() {
        return UNKNOWN_TAGS;
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Object[]> known = new ConcurrentHashMap<>();
    private volatile boolean complete;

    /**
     * Creates an empty registry.
     *
     * @param capacity the most sub-tables remembered; 0 turns the registry off
     */
    public SubTables(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Returns whether the sub-table is known to exist.
     *
     * @param subTable the name
     * @return true when an INSERT may omit its USING clause
     */
    public boolean exists(String subTable) {
        return known.containsKey(subTable);
    }

    /**
     * Returns the tags last written, one row value per tag (null where not known).
     *
     * @param subTable the name
     * @return the tags, {@link #unknownTags()} for a sub-table found in the database, null when not known
     */
    public Object[] tags(String subTable) {
        return known.get(subTable);
    }

    /**
     * Remembers that a sub-table exists with these tags, if there is room (or it is known already).
     *
     * @param subTable the name
     * @param tags one row value per tag (as {@code Row} holds them), or {@link #unknownTags()}
     */
    public void remember(String subTable, Object[] tags) {
        if (known.size() < capacity || known.containsKey(subTable)) {
            known.put(subTable, tags);
        } else {
            complete = false;
        }
    }

    /**
     * Forgets a sub-table (it was dropped behind the sink's back); the registry is no longer complete.
     *
     * @param subTable the name
     */
    public void forget(String subTable) {
        known.remove(subTable);
        complete = false;
    }

    /**
     * Returns whether every sub-table of the sink's super tables is known: then a sub-table not in here does not exist.
     *
     * @return true after a full load at start, until something is forgotten or did not fit
     */
    public boolean complete() {
        return complete;
    }

    /**
     * Marks the registry complete or not (after loading the existing sub-tables at start).
     *
     * @param complete whether every existing sub-table was loaded
     */
    public void complete(boolean complete) {
        this.complete = complete;
    }

    /**
     * Returns the capacity.
     *
     * @return the most sub-tables remembered
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns how many sub-tables are known.
     *
     * @return the count
     */
    public int size() {
        return known.size();
    }
}
