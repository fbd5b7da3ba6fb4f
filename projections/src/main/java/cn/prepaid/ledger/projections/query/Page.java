package cn.prepaid.ledger.projections.query;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One page of a list: {@code page} counts from 0. */
public record Page<T>(List<T> content, int page, int size, long totalElements) {

    /** Maps one row of a page; the row also holds the page's total, which the mapper ignores. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static final String TOTAL_COLUMN = "page_total_elements";

    /**
     * Reads a page and its total in one statement, so both come from one snapshot: a row committed
     * between a separate count and a separate select could otherwise appear in the content but not in
     * the total (or the reverse). An empty first page means the snapshot held no row, so its total is 0;
     * only a later page past the end, which has no row to carry the total, counts on its own.
     *
     * @param select  the query without order or limit
     * @param orderBy the page's order, by the names of {@code select}'s columns
     * @param count   the same filter as a count
     */
    static <T> Page<T> read(JdbcTemplate jdbc, String select, String orderBy, String count, List<Object> args,
                            int page, int size, RowReader<T> reader) {
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        long[] total = {-1};
        List<T> content = jdbc.query("select paged.*, count(*) over () as " + TOTAL_COLUMN + " from (" + select
                + ") paged order by " + orderBy + " limit ? offset ?", (row, n) -> {
            total[0] = row.getLong(TOTAL_COLUMN);
            return reader.read(row);
        }, pageArgs.toArray());
        if (total[0] < 0) {
            total[0] = page == 0 ? 0 : jdbc.queryForObject(count, Long.class, args.toArray());
        }
        return new Page<>(content, page, size, total[0]);
    }
}
