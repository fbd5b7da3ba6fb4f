package cn.prepaid.ledger.core.institution;

import java.util.List;

/** The answer to an institution command: the terms now in force and the accounts they must reach. */
public record InstitutionChange(String institutionId, SupervisionTerms terms, List<String> accountIds) {
}
