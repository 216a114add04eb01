package io.github.mqtt2tdengine.internal.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class PayloadDecodingTest {
    private static final byte[] JSON = "{\"id\":7,\"name\":\"北区 Halle ü\"}".getBytes(StandardCharsets.UTF_8);

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] b, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static PayloadDecoding decoding(Compression c, int max) {
        return new PayloadDecoding(c, null, max);
    }

    @Test
    void gzipZlibRawDeflate_andAuto_expandToTheSameBytes() throws IOException {
        assertThat(decoding(Compression.GZIP, 1 << 20).decode(gzip(JSON))).isEqualTo(JSON);
        assertThat(decoding(Compression.DEFLATE, 1 << 20).decode(deflate(JSON, false))).isEqualTo(JSON);
        assertThat(decoding(Compression.DEFLATE, 1 << 20).decode(deflate(JSON, true))).isEqualTo(JSON);
        PayloadDecoding auto = decoding(Compression.AUTO, 1 << 20);
        assertThat(auto.decode(gzip(JSON))).isEqualTo(JSON);
        assertThat(auto.decode(deflate(JSON, false))).isEqualTo(JSON);
        assertThat(auto.decode(JSON)).isSameAs(JSON); // '{' is neither magic: as it is
        assertThat(decoding(Compression.NONE, 10).isNeeded()).isFalse();
    }

    @Test
    void truncatedOrCorrupt_isInvalidPayload() throws IOException {
        byte[] z = gzip(JSON);
        byte[] truncated = Arrays.copyOf(z, z.length - 12);
        assertThatThrownBy(() -> decoding(Compression.GZIP, 1 << 20).decode(truncated))
                .isInstanceOf(PayloadException.class).hasMessageStartingWith("gzip payload of " + truncated.length
                        + " bytes is truncated")
                .extracting(e -> ((PayloadException) e).reason()).isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
        assertThatThrownBy(() -> decoding(Compression.GZIP, 1 << 20).decode(JSON))
                .hasMessageStartingWith("gzip payload of " + JSON.length + " bytes is not valid gzip data");
    }

    @Test
    void zipBomb_stopsAtTheLimit_neverExpandedIntoTheHeap() throws IOException {
        byte[] bomb = gzip(new byte[50 * 1024 * 1024]); // 50 MB of zeros in about 50 KB
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> decoding(Compression.AUTO, 1 << 20).decode(bomb))
                .isInstanceOf(PayloadException.class)
                .hasMessage("gzip payload of " + bomb.length + " bytes expands beyond the limit of 1048576 bytes "
                        + "(maxPayloadBytes); not expanded further")
                .extracting(e -> ((PayloadException) e).reason()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void charsets_areDecodedToUtf8_invalidBytesNamedWithTheirOffset() {
        for (String name : new String[] {"GBK", "GB18030", "UTF-16", "UTF-16LE"}) {
            Charset cs = Charset.forName(name);
            byte[] encoded = new String(JSON, StandardCharsets.UTF_8).getBytes(cs);
            assertThat(new PayloadDecoding(Compression.NONE, cs, 1 << 20).decode(encoded)).as(name).isEqualTo(JSON);
        }
        byte[] latin = "{\"t\":\"Müller\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new String(new PayloadDecoding(Compression.NONE, StandardCharsets.ISO_8859_1, 1 << 20)
                .decode(latin), StandardCharsets.UTF_8)).isEqualTo("{\"t\":\"Müller\"}");
        byte[] badGbk = {'{', '"', 'a', '"', ':', '"', (byte) 0x81, (byte) 0x20, '"', '}'};
        assertThatThrownBy(() -> new PayloadDecoding(Compression.NONE, Charset.forName("GBK"), 1 << 20)
                .decode(badGbk)).isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("payload is not valid GBK: byte").hasMessageContaining("at offset 6");
        // compressed and in a charset: expanded first, then decoded
        byte[] both = new String(JSON, StandardCharsets.UTF_8).getBytes(Charset.forName("GB18030"));
        assertThat(new PayloadDecoding(Compression.AUTO, Charset.forName("GB18030"), 1 << 20)
                .decode(uncheckedGzip(both))).isEqualTo(JSON);
    }

    private static byte[] uncheckedGzip(byte[] b) {
        try {
            return gzip(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void gzipMembers_headerFields_andTheTrailerAreHonoured() throws IOException {
        byte[] a = gzip("{\"a\":".getBytes(StandardCharsets.UTF_8));
        byte[] b = gzip("1}".getBytes(StandardCharsets.UTF_8));
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertThat(new String(decoding(Compression.GZIP, 1 << 20).decode(both), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
        // a file name in the header (FNAME), as gzip(1) writes it
        byte[] z = gzip(JSON);
        byte[] name = "data.json\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] named = new byte[z.length + name.length];
        System.arraycopy(z, 0, named, 0, 10);
        named[3] |= 8;
        System.arraycopy(name, 0, named, 10, name.length);
        System.arraycopy(z, 10, named, 10 + name.length, z.length - 10);
        assertThat(decoding(Compression.AUTO, 1 << 20).decode(named)).isEqualTo(JSON);
        byte[] badCrc = z.clone();
        badCrc[badCrc.length - 8] ^= 0x55;
        assertThatThrownBy(() -> decoding(Compression.GZIP, 1 << 20).decode(badCrc))
                .hasMessageEndingWith("is not valid gzip data (Corrupt GZIP trailer)");
        // the thread's inflater is reused: a good payload after a bad one still expands
        assertThat(decoding(Compression.GZIP, 1 << 20).decode(z)).isEqualTo(JSON);
    }
}
