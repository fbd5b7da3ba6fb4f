package cn.prepaid.ledger.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} options of one simulator command, with the defaults every command shares. */
public record Options(Map<String, String> values) {

    public static Options parse(String[] args, int from) {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            values.put(name, flag ? "true" : args[++i]);
        }
        return new Options(Map.copyOf(values));
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    public long number(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    /** The ledger at {@code --base} (default :8080), with the keys of {@code --principals}. */
    public LedgerClient ledger() throws IOException {
        return new LedgerClient(text("base", "http://localhost:8080"),
                LedgerClient.keysFrom(Path.of(text("principals", "./data/demo-principals.json"))));
    }
}
