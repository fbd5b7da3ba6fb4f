package cn.prepaid.ledger.api.http;

/** One invalid field of a request: where, what is wrong, and a machine-readable code. */
public record FieldProblem(String field, String message, String code) {
}
