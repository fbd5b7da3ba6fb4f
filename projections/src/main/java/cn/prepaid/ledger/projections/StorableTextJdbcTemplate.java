package cn.prepaid.ledger.projections;

import cn.prepaid.ledger.core.text.StorableText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;

import javax.sql.DataSource;
import java.util.Arrays;

/**
 * A JdbcTemplate whose text arguments are made storable ({@link StorableText#storable}) before they are
 * bound. Events are facts and keep their text as it arrived; a table cannot hold U+0000, and an event
 * whose text failed its table would be dead-lettered, and with it, by Axon's sequencing, every later
 * event of its account: the account's views would stop. With the character replaced, the view records
 * the event and moves on.
 */
public class StorableTextJdbcTemplate extends JdbcTemplate {

    public StorableTextJdbcTemplate(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected PreparedStatementSetter newArgPreparedStatementSetter(Object[] args) {
        return super.newArgPreparedStatementSetter(storable(args));
    }

    @Override
    protected PreparedStatementSetter newArgTypePreparedStatementSetter(Object[] args, int[] argTypes) {
        return super.newArgTypePreparedStatementSetter(storable(args), argTypes);
    }

    private static Object[] storable(Object[] args) {
        if (args == null) {
            return null;
        }
        Object[] kept = args;
        for (int i = 0; i < args.length; i++) {
            Object storable = storable(args[i]);
            if (storable != args[i]) {
                if (kept == args) {
                    kept = args.clone();
                }
                kept[i] = storable;
            }
        }
        return kept;
    }

    private static Object storable(Object arg) {
        if (arg instanceof String text) {
            return StorableText.storable(text);
        }
        if (arg instanceof String[] texts && !Arrays.stream(texts).allMatch(StorableTextJdbcTemplate::storableOrNull)) {
            return Arrays.stream(texts).map(text -> text == null ? null : StorableText.storable(text))
                    .toArray(String[]::new);
        }
        return arg;
    }

    private static boolean storableOrNull(String text) {
        return text == null || StorableText.isStorable(text);
    }
}
