package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

/** The ledger's own JVM figures, read from its actuator metrics (any known key may read them). */
final class Actuator {

    private final LedgerClient ledger;
    private final String role;

    Actuator(LedgerClient ledger, String role) {
        this.ledger = ledger;
        this.role = role;
    }

    long heapUsedBytes() {
        return value("jvm.memory.used?tag=area:heap");
    }

    /**
     * The old generation now: what survived young collections. An export that held on to what it
     * streamed would have to grow it; young garbage never reaches it.
     */
    long oldGenerationUsedBytes() {
        return value("jvm.memory.used?tag=area:heap&tag=id:G1%20Old%20Gen");
    }

    /** The old generation after the latest major collection: what the heap really holds on to. */
    long liveDataBytes() {
        return value("jvm.gc.live.data.size");
    }

    long allocatedBytes() {
        return value("jvm.gc.memory.allocated");
    }

    private long value(String metric) {
        LedgerClient.Answer answer = ledger.get(role, "/actuator/metrics/" + metric);
        if (answer.status() != 200) {
            return -1;
        }
        for (JsonNode measurement : answer.body().path("measurements")) {
            return (long) measurement.path("value").asDouble();
        }
        return -1;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f", bytes / (1024.0 * 1024.0));
    }
}
