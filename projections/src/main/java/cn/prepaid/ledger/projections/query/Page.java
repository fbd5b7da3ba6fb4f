package cn.prepaid.ledger.projections.query;

import java.util.List;

/** One page of a list: {@code page} counts from 0. */
public record Page<T>(List<T> content, int page, int size, long totalElements) {
}
