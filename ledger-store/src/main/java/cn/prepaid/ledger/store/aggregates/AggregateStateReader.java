package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.institution.Institution;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the current state of one aggregate from the write side. The view function runs while the
 * aggregate is held, so it must copy what it needs rather than keep the aggregate. Read models
 * (projections) replace this for everything but decisions.
 */
@Component
public class AggregateStateReader {

    private final Configuration axon;

    public AggregateStateReader(Configuration axon) {
        this.axon = axon;
    }

    /** The account's state as a copy ({@link EscrowAccount.State}). */
    public <R> Optional<R> account(AccountId id, Function<EscrowAccount.State, R> view) {
        return read(axon.repository(EscrowAccount.class), id.value(), view.compose(EscrowAccount::state));
    }

    /** The institution's state as a copy ({@link Institution.State}): the aggregate keeps no getters for answers. */
    public <R> Optional<R> institution(InstitutionId id, Function<Institution.State, R> view) {
        return read(axon.repository(Institution.class), id.value(), view.compose(Institution::state));
    }

    private static <A, R> Optional<R> read(Repository<A> repository, String id, Function<A, R> view) {
        ResultMessage<R> result = DefaultUnitOfWork.startAndGet(null)
                .executeWithResult(() -> repository.load(id).invoke(view));
        if (!result.isExceptional()) {
            return Optional.ofNullable(result.getPayload());
        }
        if (result.exceptionResult() instanceof AggregateNotFoundException) {
            return Optional.empty();
        }
        if (result.exceptionResult() instanceof RuntimeException failure) {
            throw failure;
        }
        throw new IllegalStateException("could not read aggregate " + id, result.exceptionResult());
    }
}
