package io.github.mqtt2tdengine.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Certificates generated at test time with openssl: a CA, server certificates, client keys in every PEM format. */
public final class TestCerts {
    public final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    public static TestCerts generate(Path dir) {
        String openssl = Processes.find("openssl").toString();
        TestCerts c = new TestCerts(dir);
        ca(dir, openssl, "ca");
        ca(dir, openssl, "other-ca");
        write(dir.resolve("san-both.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        write(dir.resolve("san-localhost.ext"), "subjectAltName=DNS:localhost\n");
        write(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        // server certificates: one valid for 127.0.0.1, one for "localhost" only
        Processes.run(dir, openssl, "genrsa", "-out", "server.key", "2048");
        sign(dir, openssl, "server.key", "server", "/CN=localhost", "san-both.ext");
        sign(dir, openssl, "server.key", "server-localhost", "/CN=localhost", "san-localhost.ext");
        // an expired server certificate (valid two days in 2020): openssl 3.0 cannot back-date, keytool can
        Processes.run(dir, openssl, "pkcs12", "-export", "-in", "ca.crt", "-inkey", "ca.key", "-out", "ca.p12",
                "-passout", "pass:changeit", "-name", "ca");
        Processes.run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-gencert",
                "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "ca", "-infile",
                "server.csr", "-outfile", "server-expired.crt", "-startdate", "2020/01/01", "-validity", "2", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-rfc");
        // client keys: SEC1 EC, PKCS#1 RSA, PKCS#8 of each
        Processes.run(dir, openssl, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "client-ec.sec1.pem");
        Processes.run(dir, openssl, "pkcs8", "-topk8", "-nocrypt", "-in", "client-ec.sec1.pem", "-out",
                "client-ec.pkcs8.pem");
        sign(dir, openssl, "client-ec.sec1.pem", "client-ec", "/CN=pipeline-ec", "client.ext");
        Processes.run(dir, openssl, "genrsa", "-traditional", "-out", "client-rsa.pkcs1.pem", "2048");
        Processes.run(dir, openssl, "pkcs8", "-topk8", "-nocrypt", "-in", "client-rsa.pkcs1.pem", "-out",
                "client-rsa.pkcs8.pem");
        sign(dir, openssl, "client-rsa.pkcs1.pem", "client-rsa", "/CN=pipeline-rsa", "client.ext");
        Processes.run(dir, openssl, "pkcs8", "-topk8", "-v2", "aes256", "-passout", "pass:secret", "-in",
                "client-rsa.pkcs1.pem", "-out", "client-rsa.encrypted.pem");
        return c;
    }

    private static void ca(Path dir, String openssl, String name) {
        Processes.run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
                name + ".crt", "-days", "3", "-subj", "/CN=mqtt2tdengine test " + name);
    }

    private static void sign(Path dir, String openssl, String key, String name, String subject, String ext) {
        Processes.run(dir, openssl, "req", "-new", "-key", key, "-out", name + ".csr", "-subj", subject);
        Processes.run(dir, openssl, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "3", "-extfile", ext);
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    public String pem(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
