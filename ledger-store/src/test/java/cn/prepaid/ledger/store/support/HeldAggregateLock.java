package cn.prepaid.ledger.store.support;

import cn.prepaid.ledger.store.aggregates.AggregateLocks;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An open transaction of the test's own that holds an aggregate's lock across nodes, as a command on
 * another node would; closing it ends the transaction and so frees the lock.
 */
public final class HeldAggregateLock implements AutoCloseable {

    private final Connection connection;

    private HeldAggregateLock(Connection connection) {
        this.connection = connection;
    }

    public static HeldAggregateLock on(DataSource dataSource, String aggregateId) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(AggregateLocks.LOCK_AGGREGATE)) {
                lock.setString(1, aggregateId);
                lock.setLong(2, AggregateLocks.AGGREGATE_LOCK_SEED);
                lock.executeQuery().close();
            }
            return new HeldAggregateLock(connection);
        } catch (SQLException | RuntimeException failed) {
            connection.close();
            throw failed;
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
