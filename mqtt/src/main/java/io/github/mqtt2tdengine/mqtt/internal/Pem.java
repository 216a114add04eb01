package io.github.mqtt2tdengine.mqtt.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates (chains) and private keys in PKCS#8 ({@code PRIVATE KEY}: RSA, EC, EdDSA), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}), without BouncyCastle. Error messages name what was
 * being read, never the key material. Not API; may change in any release.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = der(0x30, concat(der(0x06, new byte[] {
        0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01}), new byte[] {0x05, 0x00}));
    private static final byte[] EC_PUBLIC_KEY_OID = der(0x06, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d,
        0x02, 0x01});
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pem() {
    }

    /**
     * Reads every certificate in a PEM text.
     *
     * @param what what the text is ("TLS CA certificate"), for messages
     * @param pem the text
     * @return the certificates in order, at least one
     * @throws IllegalArgumentException naming {@code what} when there is none or one is broken
     */
    public static List<X509Certificate> certificates(String what, String pem) {
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 certificates are not supported by this JVM", e);
        }
        int index = 0;
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            index++;
            try {
                byte[] der = decode(m.group(2));
                for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(der))) {
                    certs.add((X509Certificate) c);
                }
            } catch (IllegalArgumentException | CertificateException e) {
                throw new IllegalArgumentException(what + ": certificate " + index + " cannot be read: "
                        + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(what + " is not PEM: no -----BEGIN CERTIFICATE----- block found");
        }
        return certs;
    }

    /**
     * Reads one private key.
     *
     * @param what what the text is ("TLS client private key"), for messages
     * @param pem the text
     * @return the key
     * @throws IllegalArgumentException naming {@code what} and the PEM type when it cannot be read
     */
    public static PrivateKey privateKey(String what, String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + type + " block is not valid Base64", e);
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(what, type, der);
                case "RSA PRIVATE KEY":
                    return pkcs8(what, type, der(0x30, concat(VERSION_0, RSA_ALGORITHM, der(0x04, der))));
                case "EC PRIVATE KEY":
                    return pkcs8(what, type, sec1ToPkcs8(what, der));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(what + " is encrypted (ENCRYPTED PRIVATE KEY); give it "
                            + "unencrypted, e.g. openssl pkcs8 -topk8 -nocrypt");
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(what + " is not PEM: no -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or "
                + "EC PRIVATE KEY block found");
    }

    private static PrivateKey pkcs8(String what, String type, byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm
                continue;
            }
        }
        throw new IllegalArgumentException(what + ": " + type + " block is not an RSA, EC or EdDSA key");
    }

    /** SEC1 ECPrivateKey to PKCS#8, taking the curve from the [0] parameters. */
    private static byte[] sec1ToPkcs8(String what, byte[] sec1) {
        byte[] curve = null;
        try {
            int[] seq = header(sec1, 0);
            if ((sec1[0] & 0xff) != 0x30) {
                throw new IllegalArgumentException("not a SEQUENCE");
            }
            int pos = seq[0];
            int end = seq[0] + seq[1];
            while (pos < end) {
                int tag = sec1[pos] & 0xff;
                int[] h = header(sec1, pos);
                if (tag == 0xa0) {
                    int inner = h[0];
                    int[] oid = header(sec1, inner);
                    curve = java.util.Arrays.copyOfRange(sec1, inner, oid[0] + oid[1]);
                }
                pos = h[0] + h[1];
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": EC PRIVATE KEY block is not valid DER", e);
        }
        if (curve == null) {
            throw new IllegalArgumentException(what + ": EC PRIVATE KEY block names no curve");
        }
        return der(0x30, concat(VERSION_0, der(0x30, concat(EC_PUBLIC_KEY_OID, curve)), der(0x04, sec1)));
    }

    /** Returns {contentStart, contentLength} of the DER element at pos. */
    private static int[] header(byte[] der, int pos) {
        int len = der[pos + 1] & 0xff;
        int start = pos + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            if (n > 3) {
                throw new IllegalArgumentException("DER length too long");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        } else if (len == 0x80) {
            throw new IllegalArgumentException("indefinite DER length");
        }
        if (start + len > der.length) {
            throw new IllegalArgumentException("DER element runs past the end");
        }
        return new int[] {start, len};
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", "").getBytes(StandardCharsets.US_ASCII));
    }
}
