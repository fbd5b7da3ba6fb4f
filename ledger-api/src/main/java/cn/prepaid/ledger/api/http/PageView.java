package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.projections.query.Page;

import java.util.List;
import java.util.function.Function;

/** API.md's page: {@code {"content": [...], "page": 0, "size": 50, "totalElements": 123}}. */
public record PageView<T>(List<T> content, int page, int size, long totalElements) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public static <S, T> PageView<T> of(Page<S> page, Function<S, T> view) {
        return new PageView<>(page.content().stream().map(view).toList(), page.page(), page.size(),
                page.totalElements());
    }

    /** The requested page and size, validated: page from 0, size 1 to 500, default 50. */
    public record Request(int page, int size) {

        public static Request of(WireFields fields, Integer page, Integer size) {
            int p = page == null ? 0 : page;
            int s = size == null ? DEFAULT_SIZE : size;
            if (p < 0 || p > 1_000_000) {
                fields.problem("page", "must be between 0 and 1000000", "VALIDATION_FAILED");
            }
            if (s < 1 || s > MAX_SIZE) {
                fields.problem("size", "must be between 1 and " + MAX_SIZE, "VALIDATION_FAILED");
            }
            return new Request(p, s);
        }
    }
}
