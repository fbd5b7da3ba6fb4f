package cn.prepaid.ledger.projections.readmodel;

import cn.prepaid.ledger.core.institution.InstitutionEvent;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionApproved;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionBlacklisted;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionClosed;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionRegistered;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionSuspended;
import cn.prepaid.ledger.core.institution.InstitutionEvent.SupervisionPolicyChanged;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Institutions as regulators list them; totals over their accounts are summed when read. */
@Component
@ProcessingGroup(ReadModels.PROCESSING_GROUP)
public class InstitutionReadModel {

    private final JdbcTemplate jdbc;

    public InstitutionReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(InstitutionRegistered e, @SequenceNumber long seq) {
        SupervisionPolicy p = e.policy();
        jdbc.update("insert into institution_view (institution_id, name, region_code, category, supervision_mode, "
                        + "status, minimum_balance_fen, liability_ratio_bp, large_threshold_fen, large_ratio_bp, "
                        + "large_ratio_from_fen, alert_thresholds, registered_at, last_sequence) "
                        + "values (?, ?, ?, ?, ?, 'REGISTERED', ?, ?, ?, ?, ?, ?, ?, ?) on conflict (institution_id) do nothing",
                e.institutionId(), e.name(), e.regionCode(), e.category().name(), e.supervisionMode().name(),
                p.minimumBalanceFen(), p.liabilityRatioBp(), p.largeTransferThresholdFen(), p.largeTransferRatioBp(),
                p.largeTransferRatioFromFen(), alertThresholds(p), EscrowAccountReadModel.ts(e.occurredAt()), seq);
    }

    @EventHandler
    void on(InstitutionApproved e, @SequenceNumber long seq) {
        status(e.institutionId(), "ACTIVE", seq);
    }

    @EventHandler
    void on(InstitutionSuspended e, @SequenceNumber long seq) {
        status(e.institutionId(), "SUSPENDED", seq);
    }

    @EventHandler
    void on(InstitutionBlacklisted e, @SequenceNumber long seq) {
        status(e.institutionId(), "BLACKLISTED", seq);
    }

    @EventHandler
    void on(InstitutionClosed e, @SequenceNumber long seq) {
        status(e.institutionId(), "CLOSED", seq);
    }

    @EventHandler
    void on(SupervisionPolicyChanged e, @SequenceNumber long seq) {
        SupervisionPolicy p = e.policy();
        jdbc.update("update institution_view set minimum_balance_fen = ?, liability_ratio_bp = ?, "
                        + "large_threshold_fen = ?, large_ratio_bp = ?, large_ratio_from_fen = ?, alert_thresholds = ?, "
                        + "last_sequence = ? where institution_id = ? and last_sequence < ?", p.minimumBalanceFen(),
                p.liabilityRatioBp(), p.largeTransferThresholdFen(), p.largeTransferRatioBp(),
                p.largeTransferRatioFromFen(), alertThresholds(p), seq, e.institutionId(), seq);
    }

    /** The policy's alert thresholds with its rapid-drain shares, as {@link InstitutionAlertThresholds} JSON. */
    private static String alertThresholds(SupervisionPolicy p) {
        return InstitutionAlertThresholds.JSON.writeValueAsString(InstitutionAlertThresholds.of(p));
    }

    /** Events that change no column (account links) still move the position. */
    @EventHandler
    void on(InstitutionEvent e, @SequenceNumber long seq) {
        jdbc.update("update institution_view set last_sequence = ? where institution_id = ? and last_sequence < ?",
                seq, e.institutionId(), seq);
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate table institution_view");
    }

    private void status(String institutionId, String status, long seq) {
        jdbc.update("update institution_view set status = ?, last_sequence = ? where institution_id = ? "
                + "and last_sequence < ?", status, seq, institutionId, seq);
    }
}
