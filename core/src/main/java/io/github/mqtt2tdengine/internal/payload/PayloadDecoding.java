package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PayloadException;
import io.github.mqtt2tdengine.payload.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * What happens to a payload's bytes before parsing: expansion (bounded) and decoding from a declared charset into
 * UTF-8. Thread-safe (no state but settings). Not API.
 */
public final class PayloadDecoding {
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
        String name = c == Compression.GZIP ? "gzip" : "deflate";
        try (InputStream in = c == Compression.GZIP ? new GZIPInputStream(new ByteArrayInputStream(p))
                : new InflaterInputStream(new ByteArrayInputStream(p), new Inflater(!isZlib(p)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(maxBytes, Math.max(256L, p.length * 4L)));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new PayloadException(DeadLetterReason.PAYLOAD_TOO_LARGE, name + " payload of " + p.length
                            + " bytes expands beyond the limit of " + maxBytes + " bytes (maxPayloadBytes); not expanded"
                            + " further");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, name + " payload of " + p.length
                    + " bytes is truncated (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, name + " payload of " + p.length
                    + " bytes is not valid " + name + " data (" + e.getMessage() + ")", e);
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
