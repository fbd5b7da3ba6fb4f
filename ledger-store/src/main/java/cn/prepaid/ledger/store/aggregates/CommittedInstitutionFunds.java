package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.InstitutionFunds;
import cn.prepaid.ledger.core.institution.Institution;
import org.axonframework.common.lock.NullLockFactory;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The institution's other accounts as an outflow decision must see them: committed, and kept so
 * until the deciding transaction ends.
 *
 * <p>First a transaction-scoped PostgreSQL advisory lock on the institution: outflow decisions of one
 * institution, on any node, run one after another, and the lock is released by the commit that makes
 * the decision visible. Deposits and bank facts never take it. Then each other account is sourced
 * from the event store (snapshot and events) on the transaction's own connection, so it includes every
 * outflow decided before the lock was granted. These reads bypass the aggregate cache and take no
 * aggregate lock: they are read-only, and waiting for another command's account lock while holding the
 * institution's could deadlock with that command.
 */
public class CommittedInstitutionFunds implements InstitutionFunds {

    /** The first key of the two-key advisory lock: this ledger's namespace for institution outflow locks. */
    static final int OUTFLOW_LOCK_NAMESPACE = 0x4c4f4601;
    private static final String LOCK_INSTITUTION_OUTFLOWS = "select pg_advisory_xact_lock(?, hashtext(?))";

    private final JdbcTemplate jdbc;
    private final Supplier<Configuration> axon;
    private volatile Readers readers;

    public CommittedInstitutionFunds(JdbcTemplate jdbc, Supplier<Configuration> axon) {
        this.jdbc = jdbc;
        this.axon = axon;
    }

    /** Repositories without cache or locks; built on first use, when Axon's configuration is complete. */
    private record Readers(EventSourcingRepository<Institution> institutions,
                           EventSourcingRepository<EscrowAccount> accounts) {
    }

    @Override
    public List<AccountFunds> otherAccounts(String institutionId, String accountId) {
        lockOutflowsOf(institutionId);
        Readers read = readers();
        List<String> accountIds;
        try {
            accountIds = read.institutions().load(institutionId).invoke(institution -> institution.state().accountIds());
        } catch (AggregateNotFoundException noInstitution) {
            return List.of();
        }
        List<AccountFunds> others = new ArrayList<>();
        for (String other : accountIds) {
            if (!other.equals(accountId)) {
                others.add(read.accounts().load(other).invoke(EscrowAccount::funds));
            }
        }
        return others;
    }

    /** Waits for, then holds until this transaction ends, the right to decide the institution's outflows. */
    public void lockOutflowsOf(String institutionId) {
        jdbc.query(LOCK_INSTITUTION_OUTFLOWS, row -> { }, OUTFLOW_LOCK_NAMESPACE, institutionId);
    }

    private Readers readers() {
        Readers built = readers;
        if (built == null) {
            Configuration configuration = axon.get();
            built = new Readers(reader(configuration, Institution.class), reader(configuration, EscrowAccount.class));
            readers = built;
        }
        return built;
    }

    private static <A> EventSourcingRepository<A> reader(Configuration configuration, Class<A> type) {
        return EventSourcingRepository.builder(type)
                .eventStore(configuration.eventStore())
                .aggregateModel(AnnotatedAggregateMetaModelFactory.inspectAggregate(type,
                        configuration.parameterResolverFactory(), configuration.handlerDefinition(type)))
                .lockFactory(NullLockFactory.INSTANCE)
                .build();
    }
}
