package cn.prepaid.ledger.store.chain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash of one stored event: SHA-256 over the previous event's hash (of the same aggregate; "" for
 * the first) and every stored column of this one — identifier, aggregate, sequence, type, recording
 * time as stored, payload type and revision, payload and metadata bytes. Each field is length-prefixed
 * so no two different rows can feed the same bytes.
 */
public final class EventHash {

    private EventHash() {
    }

    public static String of(String previousHash, String eventIdentifier, String aggregateIdentifier,
                            long sequenceNumber, String type, String timestamp, String payloadType,
                            String payloadRevision, byte[] payload, byte[] metaData) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            field(sha, previousHash);
            field(sha, eventIdentifier);
            field(sha, aggregateIdentifier);
            field(sha, Long.toString(sequenceNumber));
            field(sha, type);
            field(sha, timestamp);
            field(sha, payloadType);
            field(sha, payloadRevision);
            field(sha, payload);
            field(sha, metaData);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void field(MessageDigest sha, String value) {
        field(sha, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigest sha, byte[] value) {
        sha.update(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            sha.update(value);
        }
    }
}
