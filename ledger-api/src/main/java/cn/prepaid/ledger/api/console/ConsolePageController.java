package cn.prepaid.ledger.api.console;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /dashboard} is the console's page; its scripts, styles and labels are static files beside it. */
@Controller
@Hidden
public class ConsolePageController {

    @GetMapping({"/dashboard", "/dashboard/"})
    public String page() {
        return "forward:/dashboard/index.html";
    }
}
