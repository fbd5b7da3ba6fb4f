package cn.prepaid.ledger.api.http;

import tools.jackson.databind.DatabindException;

import java.util.List;

/** The dotted field path of a JSON binding error, e.g. {@code transactions[3].amount}. */
final class JsonPaths {

    private JsonPaths() {
    }

    static String of(List<DatabindException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (DatabindException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
