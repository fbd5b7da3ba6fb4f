package cn.prepaid.ledger.api.http.edge;

import cn.prepaid.ledger.api.http.ApiExceptionHandler;
import cn.prepaid.ledger.api.http.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Errors the servlet container sends to {@code /error} (a path the firewall refused for {@code ..},
 * {@code //} or {@code ;}, a status set with {@code sendError}) are answered as problem+json like every
 * other refusal, instead of Spring Boot's default error JSON, which names the path and has no code.
 * Not an operation of the API, so hidden from its document.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ApiProblem problem = StatusProblems.of(status instanceof Integer code ? code : 500);
        return ResponseEntity.status(problem.status()).contentType(ApiExceptionHandler.PROBLEM_JSON)
                .body(problem.body());
    }
}
