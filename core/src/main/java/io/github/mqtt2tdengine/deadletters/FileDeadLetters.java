package io.github.mqtt2tdengine.deadletters;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dead letters in JSON Lines files, one {@link DeadLetterEnvelope} per line (the payload base64, byte for byte),
 * for hosts that have neither a TDengine table nor an MQTT topic for them.
 *
 * <p>Lines go to {@code <directory>/<prefix>.jsonl}; each batch is written, flushed and synced ({@code fsync}) before
 * its messages are acknowledged. When the file would pass {@code maxFileBytes} it is renamed to
 * {@code <prefix>-<UTC time>.jsonl} and a new one begun. Files are never deleted: when {@code maxFiles} files exist,
 * storing fails (and is retried, the messages held unacknowledged, the transport paused at {@code maxInFlight}) until
 * someone moves or deletes files: the disk budget is a decision, not a silent loss. A failed batch is cut off again,
 * so no half line stays in the file. Thread-safe.
 *
 * <pre>{@code
 * SyncPipeline.builder()
 *         ...
 *         .deadLetterHandler(FileDeadLetters.builder().directory(Path.of("/var/lib/mqtt2td/dead-letters")).build())
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FileDeadLetters implements DeadLetterHandler {
    /** Default file name prefix. */
    public static final String DEFAULT_PREFIX = "dead-letters";
    /** Default size at which a file is rotated: 64 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    /** Default number of files kept, the current one included (16 × 64 MiB = 1 GiB). */
    public static final int DEFAULT_MAX_FILES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetters.class);
    private static final DateTimeFormatter ROTATED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");
    private static final byte NEWLINE = '\n';

    private final Path directory;
    private final String prefix;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Path current;
    /** Guarded by this. */
    private FileChannel channel;

    private FileDeadLetters(Builder b) {
        this.directory = b.directory;
        this.prefix = b.prefix;
        this.maxFileBytes = b.maxFileBytes;
        this.maxFiles = b.maxFiles;
        this.current = directory.resolve(prefix + ".jsonl");
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the file lines are appended to now.
     *
     * @return the current file
     */
    public Path currentFile() {
        return current;
    }

    /**
     * Returns every file of this destination, rotated ones first (oldest first), the current one last.
     *
     * @return the files that exist
     * @throws java.io.UncheckedIOException when the directory cannot be listed
     */
    public List<Path> files() {
        List<Path> files = new ArrayList<>(rotated());
        if (Files.exists(current)) {
            files.add(current);
        }
        return files;
    }

    @Override
    public void handle(DeadLetter deadLetter) {
        handleAll(List.of(deadLetter));
    }

    @Override
    public synchronized void handleAll(List<DeadLetter> deadLetters) {
        List<byte[]> lines = new ArrayList<>(deadLetters.size());
        long bytes = 0;
        for (DeadLetter d : deadLetters) {
            byte[] line = DeadLetterEnvelope.encode(d);
            lines.add(line);
            bytes += line.length + 1;
        }
        long start = -1;
        try {
            FileChannel ch = channel(bytes);
            start = ch.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, bytes));
            for (byte[] line : lines) {
                if (buffer.remaining() < line.length + 1) {
                    writeFully(ch, buffer);
                    if (buffer.capacity() < line.length + 1) {
                        writeFully(ch, ByteBuffer.wrap(line));
                        buffer.put(NEWLINE);
                        continue;
                    }
                }
                buffer.put(line).put(NEWLINE);
            }
            writeFully(ch, buffer);
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            cutBack(start);
            throw new RetriableSinkException("file dead-letter destination: cannot store " + deadLetters.size()
                    + " dead letter(s) in " + current + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
        buffer.clear();
    }

    /** The channel to append {@code bytes} to, rotating first when the file would pass its limit. */
    private FileChannel channel(long bytes) throws IOException {
        if (channel != null && channel.size() > 0 && channel.size() + bytes > maxFileBytes) {
            channel.close();
            channel = null;
            rotate();
        }
        if (channel == null) {
            Files.createDirectories(directory);
            if (Files.exists(current) && Files.size(current) > 0 && Files.size(current) + bytes > maxFileBytes) {
                rotate();
            }
            channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        return channel;
    }

    private void rotate() throws IOException {
        List<Path> old = rotated();
        if (old.size() + 1 >= maxFiles) {
            throw new IOException(maxFiles + " dead-letter files exist (maxFiles), the oldest " + old.get(0)
                    .getFileName() + "; move or delete files in " + directory + " (or raise maxFiles) to go on");
        }
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(ROTATED);
        Path target = directory.resolve(prefix + "-" + stamp + ".jsonl");
        for (int i = 2; Files.exists(target); i++) {
            target = directory.resolve(prefix + "-" + stamp + "-" + i + ".jsonl");
        }
        Files.move(current, target);
        LOG.info("Dead-letter file {} rotated to {}", current, target.getFileName());
    }

    /** Rotated files, oldest first (their names sort by time). */
    private List<Path> rotated() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        String head = prefix + "-";
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(head) && n.endsWith(".jsonl");
            }).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** After a failed batch: no half line stays, and the channel is opened afresh next time. */
    private void cutBack(long start) {
        FileChannel ch = channel;
        channel = null;
        if (ch == null) {
            return;
        }
        try {
            if (start >= 0 && ch.size() > start) {
                ch.truncate(start);
            }
        } catch (IOException e) {
            LOG.warn("Dead-letter file {}: could not cut back a failed batch; a partial line may remain", current, e);
        }
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("Dead-letter file {}: close failed", current, e);
        }
    }

    @Override
    public String destination() {
        return "file";
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Dead-letter file {}: close failed", current, e);
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "FileDeadLetters{file=" + current + ", maxFileBytes=" + maxFileBytes + ", maxFiles=" + maxFiles + '}';
    }

    /** Builds a {@link FileDeadLetters}. Mutable, not thread-safe, reusable. */
    public static final class Builder {
        private Path directory;
        private String prefix = DEFAULT_PREFIX;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int maxFiles = DEFAULT_MAX_FILES;

        private Builder() {
        }

        /**
         * Sets the directory of the files (created when missing); required.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory must not be null");
            return this;
        }

        /**
         * Sets the file name prefix; default {@value #DEFAULT_PREFIX}.
         *
         * @param prefix letters, digits, {@code -}, {@code _} and {@code .}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix must not be null");
            if (!prefix.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("prefix must be letters, digits, '-', '_' or '.', but was '"
                        + prefix + "'");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * Sets the size at which a file is rotated; default 64 MiB. A batch larger than this still goes into one file.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxFileBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFileBytes must be at least 1024, but was " + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        /**
         * Sets how many files may exist, the current one included; default {@value #DEFAULT_MAX_FILES}. When they are
         * all full, storing fails until files are moved or deleted.
         *
         * @param files at least 1
         * @return this builder
         */
        public Builder maxFiles(int files) {
            if (files < 1) {
                throw new IllegalArgumentException("maxFiles must be at least 1, but was " + files);
            }
            this.maxFiles = files;
            return this;
        }

        /**
         * Builds the destination; nothing is opened before the first dead letter.
         *
         * @return the destination
         * @throws IllegalStateException when the directory is not set
         */
        public FileDeadLetters build() {
            if (directory == null) {
                throw new IllegalStateException("directory must be set: FileDeadLetters.builder().directory(Path.of(...))");
            }
            return new FileDeadLetters(this);
        }
    }
}
