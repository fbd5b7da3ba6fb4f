package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.ApiException;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams one institution's whole history as NDJSON and watches the ledger's heap meanwhile: the export
 * must not hold the history in memory, however long it is.
 *
 * <p>Seeds the institution first through the public API (batch postings of 1,000 items, 100 postings to
 * each of 10 accounts per batch) unless {@code --institution} names one seeded before; a seeding that
 * stopped resumes with {@code --institution ID --seed-from BATCH}. Heap figures come from the ledger's
 * actuator ({@code jvm.memory.used}, area heap, sampled every 100 ms; {@code jvm.gc.live.data.size};
 * {@code jvm.gc.memory.allocated}). Run the ledger with a small {@code -Xmx} to make "constant memory"
 * a hard limit rather than a reading.
 */
final class HistoryExportBenchmark {

    private static final int BATCH_ITEMS = 1000;
    private static final int ACCOUNTS_PER_BATCH = 10;

    private HistoryExportBenchmark() {
    }

    /** The {@code history-export} command. */
    static void main(Options options) throws Exception {
        LedgerClient ledger = options.ledger();
        int events = options.integer("events", 1_000_000);
        int accounts = options.integer("accounts", 100);
        String institution = options.text("institution", null);
        int seedFrom = options.integer("seed-from", -1);
        if (accounts % ACCOUNTS_PER_BATCH != 0) {
            throw new IllegalArgumentException("--accounts must be a multiple of " + ACCOUNTS_PER_BATCH);
        }
        if (institution == null) {
            institution = Ids.institutionId("330106", System.currentTimeMillis() % 10_000_000L);
            Seeding.institution(ledger, institution, "history bench " + institution);
            for (int a = 0; a < accounts; a++) {
                Seeding.account(ledger, accountId(institution, a), institution);
            }
            seedFrom = 0;
        }
        System.out.println("institution " + institution);
        if (seedFrom >= 0) {
            seed(ledger, institution, events, accounts, seedFrom);
        }
        export(ledger, institution);
    }

    private static String accountId(String institution, int a) {
        return "H" + institution.substring(8, 17) + "-" + a;
    }

    /** Batch b posts the next 100 postings of each account in group b mod (accounts / 10). */
    private static void seed(LedgerClient ledger, String institution, int events, int accounts, int fromBatch)
            throws ApiException {
        int groups = accounts / ACCOUNTS_PER_BATCH;
        int batches = events / BATCH_ITEMS;
        int perAccountPerBatch = BATCH_ITEMS / ACCOUNTS_PER_BATCH;
        int perAccount = batches / groups * perAccountPerBatch;
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Progress progress = new Progress("seeding " + institution, batches);
        int alreadyThere = 0;
        for (int b = fromBatch; b < batches; b++) {
            int group = b % groups;
            int round = b / groups;
            List<PostingRequest> items = new ArrayList<>(BATCH_ITEMS);
            for (int a = group * ACCOUNTS_PER_BATCH; a < (group + 1) * ACCOUNTS_PER_BATCH; a++) {
                for (int i = round * perAccountPerBatch; i < (round + 1) * perAccountPerBatch; i++) {
                    items.add(Seeding.posting(accountId(institution, a), "H", i, perAccount, end));
                }
            }
            alreadyThere += Seeding.postBatch(ledger, items);
            progress.update(b + 1, "batch " + (b + 1) + " of " + batches + " (resume: --seed-from " + (b + 1) + ")");
        }
        progress.done(batches * BATCH_ITEMS + " postings" + (alreadyThere > 0 ? ", " + alreadyThere
                + " were already there" : ""));
    }

    private static void export(LedgerClient ledger, String institution) throws Exception {
        Actuator actuator = new Actuator(ledger, "AUDITOR");
        long heapBefore = actuator.heapUsedBytes();
        long liveBefore = actuator.liveDataBytes();
        long allocatedBefore = actuator.allocatedBytes();
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        long oldBefore = actuator.oldGenerationUsedBytes();
        AtomicLong oldPeak = new AtomicLong(oldBefore);
        AtomicBoolean exporting = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (exporting.get()) {
                heapPeak.accumulateAndGet(actuator.heapUsedBytes(), Math::max);
                oldPeak.accumulateAndGet(actuator.oldGenerationUsedBytes(), Math::max);
                LockSupport.parkNanos(100_000_000L);
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        HttpRequest request = HttpRequest.newBuilder(URI.create(ledger.base() + "/api/v1/institutions/" + institution
                        + "/history"))
                .header("Authorization", "Bearer " + ledger.key("AUDITOR"))
                .header("Accept", "application/x-ndjson").GET().build();
        long started = System.nanoTime();
        long lines = 0;
        long bytes = 0;
        HttpResponse<InputStream> response = ledger.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("history answered " + response.statusCode());
        }
        Progress progress = new Progress("exporting", Integer.MAX_VALUE);
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = body.read(buffer)) > 0) {
                bytes += read;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                progress.update((int) Math.min(Integer.MAX_VALUE - 1, lines),
                        "heap peak " + Actuator.mib(heapPeak.get()) + " MiB");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        exporting.set(false);
        sampler.join();
        progress.done(lines + " lines");
        long heapAfter = actuator.heapUsedBytes();
        long liveAfter = actuator.liveDataBytes();
        long allocated = actuator.allocatedBytes() - allocatedBefore;

        System.out.println("| events exported | MiB sent | seconds | events/s | heap before / peak during / after MiB "
                + "| old generation before / peak during MiB | live data after GC before / after MiB "
                + "| allocated during export MiB |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %.1f | %.1f | %.0f | %s / %s / %s | %s / %s | %s / %s | %s |%n", lines,
                bytes / (1024.0 * 1024.0), seconds, lines / seconds, Actuator.mib(heapBefore),
                Actuator.mib(heapPeak.get()), Actuator.mib(heapAfter), Actuator.mib(oldBefore),
                Actuator.mib(oldPeak.get()), Actuator.mib(liveBefore),
                Actuator.mib(liveAfter), Actuator.mib(allocated));
    }
}
