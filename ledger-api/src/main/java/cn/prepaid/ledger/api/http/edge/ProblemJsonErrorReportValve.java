package cn.prepaid.ledger.api.http.edge;

import cn.prepaid.ledger.api.http.ApiProblem;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.MediaType;

import java.io.IOException;

/**
 * Tomcat answers some requests itself, before any servlet runs: headers over its limit, a request line
 * too long, bad percent-encoding in the path. Its error report valve would write an HTML page for them;
 * this one writes problem+json.
 */
public class ProblemJsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ApiProblem problem = StatusProblems.of(response.getStatus());
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(StatusProblems.body(problem));
            response.finishResponse();
        } catch (IOException | IllegalStateException clientGone) {
            // nobody is left to read the answer
        }
    }
}
