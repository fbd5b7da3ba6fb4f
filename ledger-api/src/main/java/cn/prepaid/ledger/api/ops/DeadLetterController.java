package cn.prepaid.ledger.api.ops;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Operators' view of parked events: how many per processor, and a retry. National regulators only. */
@RestController
@RequestMapping("/api/v1/dead-letters")
@Tag(name = "Operations", description = "Events a projection failed on")
public class DeadLetterController {

    private final DeadLetters deadLetters;

    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Schema(name = "DeadLetterCounts")
    public record Counts(Map<String, Long> parked) {
    }

    @Schema(name = "DeadLetterRetry")
    public record Retried(Map<String, Integer> retried, Map<String, Long> stillParked) {
    }

    @GetMapping
    @Operation(operationId = "countDeadLetters", summary = "Count parked events per processor")
    public Counts counts(@AuthenticationPrincipal ApiPrincipal principal) {
        requireNational(principal);
        return new Counts(deadLetters.counts());
    }

    @PostMapping("/retry")
    @Operation(operationId = "retryDeadLetters", summary = "Retry every parked event now")
    public Retried retry(@AuthenticationPrincipal ApiPrincipal principal) {
        requireNational(principal);
        Map<String, Integer> retried = deadLetters.retryAll();
        return new Retried(retried, deadLetters.counts());
    }

    private static void requireNational(ApiPrincipal principal) {
        if (!principal.supervisesRegion("000000") || !principal.regionPrefix().isEmpty()) {
            throw ApiProblem.forbidden("only a national regulator operates the dead-letter queue");
        }
    }
}
