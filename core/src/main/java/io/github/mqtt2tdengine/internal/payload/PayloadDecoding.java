package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.Compression;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What happens to a payload's bytes before parsing: expansion (bounded) and decoding from a declared charset into
 * UTF-8. Thread-safe: settings, and an inflater per thread reused across payloads. Not API.
 */
public final class PayloadDecoding {
    private static final byte[] NOTHING = {};
    private final Compression compression;
    private final Charset charset;
    private final int maxBytes;

    /**
     * Creates the step.
     *
     * @param compression how payloads are compressed
     * @param charset their character set, null or UTF-8 for as they are
     * @param maxBytes the most bytes a payload may expand to
     */
    public PayloadDecoding(Compression compression, Charset charset, int maxBytes) {
        this.compression = compression;
        this.charset = charset == null || charset.equals(StandardCharsets.UTF_8) ? null : charset;
        this.maxBytes = maxBytes;
    }

    /** Whether the step changes anything. */
    public boolean isNeeded() {
        return compression != Compression.NONE || charset != null;
    }

    /**
     * Expands and decodes a payload.
     *
     * @param payload the bytes as received
     * @return UTF-8 bytes
     * @throws PayloadException INVALID_PAYLOAD (corrupt or truncated data, bytes invalid in the charset, with the
     *     offset) or PAYLOAD_TOO_LARGE (expands beyond the limit)
     */
    public byte[] decode(byte[] payload) {
        byte[] bytes = expand(payload);
        return charset == null ? bytes : toUtf8(bytes);
    }

    private byte[] expand(byte[] p) {
        Compression c = compression;
        if (c == Compression.AUTO) {
            c = isGzip(p) ? Compression.GZIP : isZlib(p) ? Compression.DEFLATE : Compression.NONE;
        }
        if (c == Compression.NONE) {
            return p;
        }
        boolean gzip = c == Compression.GZIP;
        Expansion e = new Expansion(gzip ? "gzip" : "deflate", p);
        if (!gzip) {
            boolean zlib = isZlib(p);
            e.inflate(zlib ? this.zlib.get() : raw.get(), 0, false);
            return e.result();
        }
        int pos = 0;
        do {
            pos = e.gzipMember(raw.get(), pos);
        } while (p.length - pos >= 2 && (p[pos] & 0xff) == 0x1f && (p[pos + 1] & 0xff) == 0x8b);
        return e.result(); // bytes after the last member are ignored, as GZIPInputStream does
    }

    /** Inflaters reused per thread: creating and ending one per message costs more than inflating a small payload. */
    private final ThreadLocal<Inflater> raw = ThreadLocal.withInitial(() -> new Inflater(true));
    private final ThreadLocal<Inflater> zlib = ThreadLocal.withInitial(Inflater::new);

    /** One payload's expansion, bounded by the limit: inflated straight into {@code out}, grown at most to the limit. */
    private final class Expansion {
        final String name;
        final byte[] p;
        byte[] out;
        int size;

        Expansion(String name, byte[] p) {
            this.name = name;
            this.p = p;
            this.out = new byte[(int) Math.min(maxBytes + 1L, Math.max(256L, p.length * 4L))];
        }

        byte[] result() {
            return size == out.length ? out : Arrays.copyOf(out, size);
        }

        PayloadException tooLarge() {
            return new PayloadException(DeadLetterReason.PAYLOAD_TOO_LARGE, name + " payload of " + p.length
                    + " bytes expands beyond the limit of " + maxBytes + " bytes (maxPayloadBytes); not expanded "
                    + "further");
        }

        PayloadException truncated(String why) {
            return new PayloadException(DeadLetterReason.INVALID_PAYLOAD, name + " payload of " + p.length
                    + " bytes is truncated (" + why + ")");
        }

        PayloadException invalid(String why, Throwable cause) {
            return new PayloadException(DeadLetterReason.INVALID_PAYLOAD, name + " payload of " + p.length
                    + " bytes is not valid " + name + " data (" + why + ")", cause);
        }

        /** Inflates from {@code from}; returns the offset after the compressed data. */
        int inflate(Inflater inf, int from, boolean crc) {
            inf.reset();
            inf.setInput(p, from, p.length - from);
            int start = size;
            int remaining;
            try {
                while (!inf.finished()) {
                    if (size == out.length) { // then size <= maxBytes < maxBytes + 1, the cap
                        out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1L, out.length * 2L));
                    }
                    int n = inf.inflate(out, size, out.length - size);
                    if (n == 0) {
                        if (inf.needsInput()) {
                            throw truncated("Unexpected end of ZLIB input stream");
                        }
                        if (inf.needsDictionary()) {
                            throw invalid("a preset dictionary is needed", null);
                        }
                        continue;
                    }
                    size += n;
                    if (size > maxBytes) {
                        throw tooLarge();
                    }
                }
                remaining = inf.getRemaining();
            } catch (DataFormatException ex) {
                throw invalid(ex.getMessage(), ex);
            } finally {
                inf.setInput(NOTHING); // the thread's inflater does not hold on to the payload
            }
            if (crc) {
                CRC32 sum = new CRC32();
                sum.update(out, start, size - start);
                crcValue = sum.getValue();
            }
            return p.length - remaining;
        }

        long crcValue;

        /** One gzip member (RFC 1952) from {@code pos}; returns the offset after it. */
        int gzipMember(Inflater inf, int pos) {
            if (p.length - pos < 10) {
                throw truncated("the header is incomplete");
            }
            if ((p[pos] & 0xff) != 0x1f || (p[pos + 1] & 0xff) != 0x8b) {
                throw invalid("Not in GZIP format", null);
            }
            if (p[pos + 2] != 8) {
                throw invalid("Unsupported compression method", null);
            }
            int flags = p[pos + 3] & 0xff;
            int at = pos + 10;
            if ((flags & 4) != 0) { // FEXTRA
                if (p.length - at < 2) {
                    throw truncated("the header is incomplete");
                }
                at += 2 + ((p[at] & 0xff) | (p[at + 1] & 0xff) << 8);
            }
            for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
                if ((flags & flag) != 0) {
                    while (at < p.length && p[at] != 0) {
                        at++;
                    }
                    at++;
                }
            }
            if ((flags & 2) != 0) { // FHCRC
                at += 2;
            }
            if (at > p.length) {
                throw truncated("the header is incomplete");
            }
            int before = size;
            int end = inflate(inf, at, true);
            if (p.length - end < 8) {
                throw truncated("Unexpected end of ZLIB input stream");
            }
            long crc = (p[end] & 0xffL) | (p[end + 1] & 0xffL) << 8 | (p[end + 2] & 0xffL) << 16
                    | (p[end + 3] & 0xffL) << 24;
            long isize = (p[end + 4] & 0xffL) | (p[end + 5] & 0xffL) << 8 | (p[end + 6] & 0xffL) << 16
                    | (p[end + 7] & 0xffL) << 24;
            if (crc != crcValue || isize != ((size - before) & 0xffffffffL)) {
                throw invalid("Corrupt GZIP trailer", null);
            }
            return end + 8;
        }
    }

    static boolean isGzip(byte[] p) {
        return p.length >= 2 && (p[0] & 0xff) == 0x1f && (p[1] & 0xff) == 0x8b;
    }

    static boolean isZlib(byte[] p) {
        return p.length >= 2 && (p[0] & 0x0f) == 8 && ((p[0] & 0xff) >> 4) <= 7
                && ((p[0] & 0xff) * 256 + (p[1] & 0xff)) % 31 == 0;
    }

    private byte[] toUtf8(byte[] bytes) {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            StringBuilder hex = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + Math.max(1, r.length())); i++) {
                hex.append(String.format("%02X", bytes[i] & 0xff));
            }
            throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload is not valid " + charset.name()
                    + ": byte" + (r.length() > 1 ? "s " : " ") + "0x" + hex + " at offset " + at + " "
                    + (r.isMalformed() ? "is malformed" : "cannot be mapped"));
        }
        out.flip();
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(out);
        byte[] result = new byte[utf8.remaining()];
        utf8.get(result);
        return result;
    }
}
