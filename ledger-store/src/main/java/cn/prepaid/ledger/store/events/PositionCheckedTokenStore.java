package cn.prepaid.ledger.store.events;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.AbstractTokenEntry;
import org.axonframework.eventhandling.tokenstore.GenericTokenEntry;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.SerializedObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon's JDBC token store, which moves a segment's position only from the position this node last read or
 * wrote for it, and whose moves let the processors' transactions commit without waiting for the disk.
 *
 * <p><b>Commits that wait for no disk.</b> The statement that moves a position (every processor
 * transaction's last) also sets {@code synchronous_commit = off} for its transaction, in the same round
 * trip: everything a processor writes is derived from the event store, which only commands write, and they
 * always commit synchronously. PostgreSQL writes WAL in one sequence and a synchronous commit flushes all
 * WAL before its own commit record, so anything that depends on a processor's commit and was acknowledged
 * (a posting, a regulator's action, a webhook delivery's claim) made that commit durable too. A crash of
 * PostgreSQL loses at most the last few hundred milliseconds of processor commits (its WAL writer flushes
 * every {@code wal_writer_delay}), each with the position it moved, and the recovered database is an
 * earlier, consistent state from which the processor handles the same events again. A transaction that
 * asked to be durable ({@code ledger.commit = durable}, as one appending alert changes to the live stream
 * does) keeps waiting for the disk, whichever of the two statements comes first.
 *
 * <p><b>Positions moved only from where this node left them.</b> A pooled processor keeps its position
 * in memory and reads it back only when it claims a segment, so a crash of PostgreSQL that takes back its
 * last work together with the position it moved would go unnoticed (idle, and PostgreSQL back within a
 * second): it would go on from its position in memory and never handle the events whose work was lost.
 * Here the position it stores, and the claim it extends when idle, are conditioned on the stored position
 * still being the one this node left: when it is not, the store refuses ({@link UnableToClaimTokenException}),
 * the processor drops the segment's work, claims the segment again and goes on from the position PostgreSQL
 * kept. The condition is part of the statement Axon runs anyway.
 */
public class PositionCheckedTokenStore extends JdbcTokenStore {

    /**
     * The transaction's setting at its commit, chosen by the statement that moves its position: off, unless
     * the transaction set {@code ledger.commit} to {@code durable} (together with {@code synchronous_commit =
     * on}, as the alerts' live stream does when it appends a change).
     */
    public static final String COMMIT_WITHOUT_WAITING_FOR_DISK_UNLESS_ASKED = "set_config('synchronous_commit', "
            + "case current_setting('ledger.commit', true) when 'durable' then 'on' else 'off' end, true) is not null";

    /** A position as stored: its serialized token, or none. */
    private record Stored(byte[] token) {
    }

    private final TokenSchema schema;
    private final String nodeId;
    /** Stores a position: token, its type, timestamp; owner, processor, segment, and the position left there. */
    private final String storeFromLeftPosition;
    /** Extends a claim: timestamp; owner, processor, segment, and the position left there. */
    private final String extendAtLeftPosition;
    private final Map<String, Stored> positions = new ConcurrentHashMap<>();
    /** The position a store is writing now, serialized once by its statement, remembered when the store succeeds. */
    private final Map<String, Stored> writing = new ConcurrentHashMap<>();

    public PositionCheckedTokenStore(JdbcTokenStore.Builder builder, TokenSchema schema, String nodeId) {
        super(builder.schema(schema).nodeId(nodeId));
        this.schema = schema;
        this.nodeId = nodeId;
        String segmentLeftAsItWas = " where " + schema.ownerColumn() + " = ? and " + schema.processorNameColumn()
                + " = ? and " + schema.segmentColumn() + " = ? and " + schema.tokenColumn() + " is not distinct from ?"
                + " and " + COMMIT_WITHOUT_WAITING_FOR_DISK_UNLESS_ASKED;
        this.storeFromLeftPosition = "update " + schema.tokenTable() + " set " + schema.tokenColumn() + " = ?, "
                + schema.tokenTypeColumn() + " = ?, " + schema.timestampColumn() + " = ?" + segmentLeftAsItWas;
        this.extendAtLeftPosition = "update " + schema.tokenTable() + " set " + schema.timestampColumn() + " = ?"
                + segmentLeftAsItWas;
    }

    private static String key(String processorName, int segment) {
        return processorName + "/" + segment;
    }

    @Override
    protected TrackingToken loadToken(Connection connection, ResultSet resultSet, String processorName, int segment)
            throws SQLException {
        TrackingToken token = super.loadToken(connection, resultSet, processorName, segment);
        positions.put(key(processorName, segment), new Stored(resultSet.getBytes(schema.tokenColumn())));
        return token;
    }

    @Override
    protected TrackingToken loadToken(Connection connection, ResultSet resultSet, String processorName,
                                      Segment segment) throws SQLException {
        TrackingToken token = super.loadToken(connection, resultSet, processorName, segment);
        positions.put(key(processorName, segment.getSegmentId()), new Stored(resultSet.getBytes(schema.tokenColumn())));
        return token;
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        String key = key(processorName, segment);
        writing.remove(key);
        try {
            super.storeToken(token, processorName, segment);
            Stored stored = writing.get(key);
            positions.put(key, stored != null ? stored : new Stored(serialized(entry(token, processorName, segment))));
        } finally {
            writing.remove(key);
        }
    }

    @Override
    protected PreparedStatement storeUpdate(Connection connection, TrackingToken token, String processorName,
                                            int segment) throws SQLException {
        Stored left = positions.get(key(processorName, segment));
        if (left == null) {
            return super.storeUpdate(connection, token, processorName, segment);
        }
        AbstractTokenEntry<byte[]> entry = entry(token, processorName, segment);
        byte[] position = serialized(entry);
        writing.put(key(processorName, segment), new Stored(position));
        PreparedStatement statement = connection.prepareStatement(storeFromLeftPosition);
        statement.setBytes(1, position);
        statement.setString(2, entry.getTokenType() == null ? null : entry.getTokenType().getName());
        statement.setString(3, entry.timestampAsString());
        statement.setString(4, nodeId);
        statement.setString(5, processorName);
        statement.setInt(6, segment);
        statement.setBytes(7, left.token());
        return statement;
    }

    /**
     * Axon's second try when the update found no row: load the row and take the claim again if it may. Here
     * the update also fails when the position is not the one this node left, so taking the claim on the spot
     * would skip the lost work: the segment is claimed again from scratch instead. Until then (a claim reads
     * the stored position) every store and extension of this segment is refused.
     */
    @Override
    protected void updateToken(Connection connection, ResultSet resultSet, TrackingToken token, String processorName,
                               int segment) throws SQLException {
        if (!positions.containsKey(key(processorName, segment))) {
            super.updateToken(connection, resultSet, token, processorName, segment);
            return;
        }
        throw new UnableToClaimTokenException("the position of " + processorName + "[" + segment + "] is no longer "
                + "the one this node left, or its claim is gone; claiming it again from the stored position");
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        Stored left = positions.get(key(processorName, segment));
        if (left == null) {
            super.extendClaim(processorName, segment);
            return;
        }
        Connection connection = getConnection();
        try {
            int extended = JdbcUtils.executeUpdate(connection, c -> {
                PreparedStatement statement = c.prepareStatement(extendAtLeftPosition);
                statement.setString(1, DateTimeUtils.formatInstant(AbstractTokenEntry.clock.instant()));
                statement.setString(2, nodeId);
                statement.setString(3, processorName);
                statement.setInt(4, segment);
                statement.setBytes(5, left.token());
                return statement;
            }, failed -> new UnableToClaimTokenException("could not extend the claim on " + processorName + "["
                    + segment + "]: " + failed.getMessage()));
            if (extended == 0) {
                throw new UnableToClaimTokenException("the position of " + processorName + "[" + segment + "] is no "
                        + "longer the one this node left, or its claim is gone; claiming it again");
            }
        } finally {
            JdbcUtils.closeQuietly(connection);
        }
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        positions.remove(key(processorName, segment));
        super.releaseClaim(processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        positions.remove(key(processorName, segment));
        super.deleteToken(processorName, segment);
    }

    private AbstractTokenEntry<byte[]> entry(TrackingToken token, String processorName, int segment) {
        return new GenericTokenEntry<>(token, serializer(), byte[].class, processorName, segment);
    }

    private static byte[] serialized(AbstractTokenEntry<byte[]> entry) {
        SerializedObject<byte[]> token = entry.getSerializedToken();
        return token == null ? null : token.getData();
    }
}
