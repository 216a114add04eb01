package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.SinkContext;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dry-run {@link Sink}: prints the super tables it would create and one line per batch, writes nothing. A custom
 * sink in thirty lines.
 */
public final class PrintingSink implements Sink {
    private final PrintStream out;
    private final AtomicLong rows = new AtomicLong();

    /**
     * Creates a sink printing to the stream.
     *
     * @param out where to print
     */
    public PrintingSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void open(SinkContext context) {
        for (TableSchema t : context.tables()) {
            StringBuilder sb = new StringBuilder("[dry-run] super table `").append(t.superTable()).append("` (");
            for (SchemaColumn c : t.columns()) {
                sb.append(c.name()).append(' ').append(c.type()).append(", ");
            }
            sb.setLength(sb.length() - 2);
            sb.append(") TAGS (");
            for (SchemaColumn c : t.tags()) {
                sb.append(c.name()).append(' ').append(c.type()).append(", ");
            }
            sb.setLength(sb.length() - 2);
            out.println(sb.append(')'));
        }
    }

    @Override
    public void write(SinkBatch batch) {
        long total = rows.addAndGet(batch.rows().size());
        Row first = batch.rows().get(0);
        out.println("[dry-run] batch " + batch.sequence() + ": " + batch.rows().size() + " rows (" + total
                + " in all), first: " + first);
    }

    @Override
    public void close() {
        out.println("[dry-run] sink closed after " + rows.get() + " rows");
    }
}
