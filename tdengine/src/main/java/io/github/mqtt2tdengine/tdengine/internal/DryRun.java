package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.List;
import java.util.function.Consumer;

/**
 * A dry run: the statements the sink would send, handed to a consumer instead of a database. Sub-tables count as
 * created once printed, as they would be once written. Not API; may change in any release.
 */
public final class DryRun {
    private final Consumer<String> out;
    private final SubTables subTables;
    private final InsertBuilder inserts;

    /**
     * Creates a dry run.
     *
     * @param out receives each statement
     * @param database the target database
     * @param maxSqlBytes the longest INSERT statement
     * @param knownSubTables the sub-tables remembered as created
     */
    public DryRun(Consumer<String> out, String database, int maxSqlBytes, int knownSubTables) {
        this.out = out;
        this.subTables = new SubTables(knownSubTables);
        this.inserts = new InsertBuilder(database, maxSqlBytes, subTables);
    }

    /**
     * Prints what opening the sink would send.
     *
     * @param setup the sink's schema setup
     * @param tables the mapping's super tables
     */
    public void open(SchemaSetup setup, List<TableSchema> tables) {
        setup.ddl(tables).forEach(out);
    }

    /**
     * Prints a batch's INSERT statements; rows that cannot be written in SQL are rejected in it.
     *
     * @param batch the batch
     */
    public void write(SinkBatch batch) {
        int[] all = new int[batch.rows().size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        InsertBuilder.Result built = inserts.build(batch.rows(), all);
        for (InsertBuilder.Rejected r : built.rejected()) {
            batch.reject(r.row(), r.reason());
        }
        for (InsertBuilder.Statement s : built.statements()) {
            out.accept(s.sql());
            s.created().forEach(subTables::remember);
        }
    }
}
