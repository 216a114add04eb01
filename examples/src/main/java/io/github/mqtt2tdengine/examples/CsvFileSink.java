package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.SinkBatch;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A custom {@link Sink}: appends rows to a CSV file ({@code superTable,subTable,timestamp,columns...,tags...}) and
 * forces them to disk before returning, so a returned {@code write} means committed. An I/O error is retriable: the
 * engine retries the batch and acknowledges nothing meanwhile. docs/custom-sinks.md shows its {@code write}, word for
 * word.
 */
public final class CsvFileSink implements Sink {
    private final Path file;

    /**
     * Creates the sink.
     *
     * @param file the CSV file, created when missing
     */
    public CsvFileSink(Path file) {
        this.file = file;
    }

    @Override
    public void write(SinkBatch batch) {
        StringBuilder sb = new StringBuilder();
        for (Row row : batch.rows()) {
            sb.append(row.superTable()).append(',').append(row.subTable());
            for (Object v : row.columns()) {
                sb.append(',').append(csv(v));
            }
            for (Object v : row.tags()) {
                sb.append(',').append(csv(v));
            }
            sb.append('\n');
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            w.write(sb.toString());
        } catch (IOException e) {
            throw new RetriableSinkException("CSV file '" + file + "' cannot be written: " + e.getMessage(), e);
        }
    }

    private static String csv(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    @Override
    public void close() {
        // nothing is kept open between batches
    }

    @Override
    public String toString() {
        return "CsvFileSink{" + file + '}';
    }
}
