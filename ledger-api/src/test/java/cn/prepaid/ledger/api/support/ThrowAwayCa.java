package cn.prepaid.ledger.api.support;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority that exists for one test: it issues a server certificate for localhost and
 * client certificates for banks, written as PEM files for Spring Boot's SSL bundles, and builds the
 * client side's SSLContext.
 */
public final class ThrowAwayCa {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** Writes {@code name}.crt and {@code name}.key into {@code dir}; answers the certificate's path. */
        public Path writePem(Path dir, String name) throws IOException {
            Path certificateFile = writeCertificatePem(certificate, dir, name);
            // PKCS#8, as getEncoded() gives it
            Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return certificateFile;
        }
    }

    private final Issued root;

    public ThrowAwayCa(String name) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        X500Principal subject = new X500Principal("CN=" + name + ",O=Ledger tests");
        this.root = new Issued(sign(subject, keys, subject, keys, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }), keys);
    }

    public X509Certificate certificate() {
        return root.certificate();
    }

    /** Writes this authority's certificate (what a trust store needs) to {@code name}.crt in {@code dir}. */
    public Path writeCertificate(Path dir, String name) throws IOException {
        return writeCertificatePem(root.certificate(), dir, name);
    }

    /** A server certificate for localhost and 127.0.0.1. */
    public Issued issueServer() throws GeneralSecurityException {
        KeyPair keys = newKeys();
        return new Issued(sign(new X500Principal("CN=localhost,O=Ledger tests"), keys,
                root.certificate().getSubjectX500Principal(), root.keys(), builder -> {
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
                }), keys);
    }

    /** A client certificate with the given subject, e.g. {@code CN=icbc-hangzhou,O=ICBC,C=CN}. */
    public Issued issueClient(String subject) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        X500Principal issuer = root.certificate().getSubjectX500Principal();
        return new Issued(sign(new X500Principal(subject), keys, issuer, root.keys(),
                builder -> builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))), keys);
    }

    /** A client's TLS context: trusts {@code server}'s CA and, if given, presents {@code client}. */
    public static SSLContext clientContext(ThrowAwayCa serverCa, Issued client) throws GeneralSecurityException {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", serverCa.certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            if (client != null) {
                own.setKeyEntry("client", client.keys().getPrivate(), new char[0],
                        new Certificate[] {client.certificate()});
            }
            keys.init(own, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private static X509Certificate sign(X500Principal subject, KeyPair subjectKeys, X500Principal issuer,
                                        KeyPair issuerKeys, Extensions extensions) throws GeneralSecurityException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
        try {
            extensions.add(builder);
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static Path writeCertificatePem(X509Certificate certificate, Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".crt");
        try {
            Files.writeString(file, pem("CERTIFICATE", certificate.getEncoded()));
        } catch (GeneralSecurityException unencodable) {
            throw new IOException(unencodable);
        }
        return file;
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
