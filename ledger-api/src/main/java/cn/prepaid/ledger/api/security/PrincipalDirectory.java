package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.store.embedded.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The principals allowed to call the ledger, from {@code ledger.principals-file}
 * ({@code LEDGER_PRINCIPALS_FILE}; a path or {@code classpath:} resource). Without a file, one demo
 * principal per role is created once, written to {@code ./data/demo-principals.json} (mode 600) and
 * reused on later starts.
 *
 * <p>A principal holds one or more keys ({@code apiKey}, or {@code apiKeys} while a bank switches over),
 * and a bank may be bound to its TLS client certificate's subject ({@code certificateSubject}): with
 * keys, it must present both; without, the certificate alone signs it in. Keys are kept only as SHA-256
 * hashes and every lookup compares against all of them in constant time, so neither the store nor the
 * timing tells which key is close.
 *
 * <p>A platform or an auditor may be bound to what it reaches by {@code regionPrefix} and/or
 * {@code institutions} (a list of institution ids); without either it reaches every institution.
 *
 * <p>A principals file on disk is read again when its content changes, checked every
 * {@code ledger.principals-reload-millis} (2 s): every node polls the file it was given, so a revoked
 * key stops working on each of them within that time, without a restart. A file that does not parse
 * leaves the last good principals in place.
 */
@Component
public class PrincipalDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrincipalDirectory.class);
    private static final Pattern REGION_PREFIX = Pattern.compile("\\d{0,6}");
    private static final int MIN_KEY_LENGTH = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How a request's credentials were judged: a principal, a refusal, or no credentials at all. */
    public record Verdict(ApiPrincipal principal, Action refusal, String reason) {

        static Verdict signedIn(ApiPrincipal principal) {
            return new Verdict(principal, null, null);
        }

        static Verdict refused(Action refusal, String reason) {
            return new Verdict(null, refusal, reason);
        }

        static Verdict anonymous() {
            return new Verdict(null, null, null);
        }
    }

    /** A principal and what proves it: key hashes (possibly none) and a certificate subject (possibly none). */
    private record Entry(ApiPrincipal principal, List<byte[]> keyHashes, X500Principal certificateSubject) {

        String fingerprint() {
            Set<String> keys = new TreeSet<>();
            keyHashes.forEach(hash -> keys.add(HexFormat.of().formatHex(hash)));
            return principal + "|" + principal.bankCode() + "|" + principal.regionPrefix() + "|"
                    + principal.institutions() + "|" + keys + "|" + certificateSubject;
        }
    }

    private final SecurityAudit audit;
    private final List<Consumer<Set<String>>> changeListeners = new CopyOnWriteArrayList<>();
    private final Path watchedFile;
    private final ScheduledExecutorService reloader;
    private volatile List<Entry> entries;
    private volatile byte[] loadedDigest;
    private volatile byte[] refusedDigest;

    public PrincipalDirectory(@Value("${ledger.principals-file:}") String principalsFile,
                              @Value("${ledger.demo-principals-file:./data/demo-principals.json}") String demoFile,
                              @Value("${ledger.principals-reload-millis:2000}") long reloadMillis,
                              SecurityAudit audit) throws IOException {
        this.audit = audit;
        if (principalsFile != null && principalsFile.startsWith("classpath:")) {
            this.watchedFile = null;
            Resource resource = new DefaultResourceLoader().getResource(principalsFile);
            try (InputStream in = resource.getInputStream()) {
                this.entries = parse(in.readAllBytes());
            }
        } else {
            this.watchedFile = (principalsFile == null || principalsFile.isBlank() ? demoPrincipals(Path.of(demoFile))
                    : Path.of(principalsFile)).toAbsolutePath().normalize();
            byte[] content = Files.readAllBytes(watchedFile);
            this.entries = parse(content);
            this.loadedDigest = sha256(content);
        }
        log.info("Loaded {} principals from {}", entries.size(), watchedFile == null ? principalsFile : watchedFile);
        if (watchedFile != null && reloadMillis > 0) {
            this.reloader = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "principals-reload");
                thread.setDaemon(true);
                return thread;
            });
            reloader.scheduleWithFixedDelay(this::reloadIfChanged, reloadMillis, reloadMillis, TimeUnit.MILLISECONDS);
        } else {
            this.reloader = null;
        }
    }

    /**
     * Who presents this key and/or this TLS client certificate. Touches every key whatever the answer.
     * A key signs in its holder, if the holder is not also bound to a certificate that is missing; a
     * certificate alone signs in the bank bound to its subject that holds no key.
     */
    public Verdict authenticate(String presentedKey, X509Certificate certificate) {
        List<Entry> current = entries;
        X500Principal subject = certificate == null ? null : certificate.getSubjectX500Principal();
        if (presentedKey != null && !presentedKey.isEmpty()) {
            Entry holder = holderOf(current, sha256(presentedKey.getBytes(StandardCharsets.UTF_8)));
            if (holder == null) {
                return Verdict.refused(Action.API_KEY_REFUSED, "no principal holds this key");
            }
            if (holder.certificateSubject() != null && !holder.certificateSubject().equals(subject)) {
                return Verdict.refused(Action.CERTIFICATE_REFUSED, "principal " + holder.principal().name()
                        + " must present its client certificate with its key");
            }
            return Verdict.signedIn(holder.principal());
        }
        if (subject != null) {
            return current.stream()
                    .filter(entry -> entry.keyHashes().isEmpty() && subject.equals(entry.certificateSubject()))
                    .findFirst().map(entry -> Verdict.signedIn(entry.principal()))
                    .orElse(Verdict.refused(Action.CERTIFICATE_REFUSED,
                            "no principal signs in with certificate " + subject.getName() + " alone"));
        }
        return Verdict.anonymous();
    }

    /**
     * The principal of this name as the principals file says now: a console session names its principal
     * and is honoured only while that principal is still there (a reload may have removed it or changed its role).
     */
    public Optional<ApiPrincipal> named(String name) {
        return entries.stream().map(Entry::principal).filter(principal -> principal.name().equals(name)).findFirst();
    }

    public List<ApiPrincipal> all() {
        return entries.stream().map(Entry::principal).toList();
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }

    /** Reads the principals file again if its content changed since it was last read. */
    void reloadIfChanged() {
        byte[] content;
        try {
            content = Files.readAllBytes(watchedFile);
        } catch (IOException unreadable) {
            log.warn("Cannot read the principals file {} ({}); keeping the principals loaded before", watchedFile,
                    unreadable.getClass().getSimpleName());
            return;
        }
        byte[] digest = sha256(content);
        if (Arrays.equals(digest, loadedDigest) || Arrays.equals(digest, refusedDigest)) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", watchedFile.toString());
        List<Entry> before = entries;
        List<Entry> reloaded;
        try {
            reloaded = parse(content);
        } catch (IllegalStateException invalid) {
            refusedDigest = digest;
            details.put("reason", invalid.getMessage());
            log.error("The principals file {} changed but is not valid ({}); keeping the principals loaded before",
                    watchedFile, invalid.getMessage());
            audit.record(Action.PRINCIPALS_RELOADED, null, Outcome.FAILED, null, details);
            return;
        }
        details.putAll(changes(before, reloaded));
        entries = reloaded;
        loadedDigest = digest;
        log.info("Reloaded {} principals from {}: {}", reloaded.size(), watchedFile, details);
        audit.record(Action.PRINCIPALS_RELOADED, null, Outcome.SUCCEEDED, null, details);
        tellListeners(removedOrChanged(before, reloaded));
    }

    /**
     * {@code listener} hears, after each reload, the names of the principals it removed or changed (keys,
     * certificate, role or scope): what they proved themselves with before may no longer hold.
     */
    public void whenPrincipalsChange(Consumer<Set<String>> listener) {
        changeListeners.add(listener);
    }

    private void tellListeners(Set<String> removedOrChanged) {
        if (removedOrChanged.isEmpty()) {
            return;
        }
        for (Consumer<Set<String>> listener : changeListeners) {
            try {
                listener.accept(removedOrChanged);
            } catch (RuntimeException failed) {
                // the reloads go on (an exception would stop them); what the listener did not do, say
                // ending console sessions while the database is away, is for an operator to finish
                log.error("A listener to principals changes failed for {} ({})", removedOrChanged,
                        failed.getClass().getSimpleName());
            }
        }
    }

    private static Entry holderOf(List<Entry> entries, byte[] presented) {
        Entry match = null;
        for (Entry entry : entries) {
            for (byte[] hash : entry.keyHashes()) {
                if (MessageDigest.isEqual(hash, presented)) {
                    match = entry;
                }
            }
        }
        return match;
    }

    private static Set<String> removedOrChanged(List<Entry> before, List<Entry> after) {
        Map<String, String> now = new HashMap<>();
        after.forEach(entry -> now.put(entry.principal().name(), entry.fingerprint()));
        Set<String> names = new TreeSet<>();
        before.stream().filter(entry -> !entry.fingerprint().equals(now.get(entry.principal().name())))
                .forEach(entry -> names.add(entry.principal().name()));
        return names;
    }

    /** Which principals a reload added, removed or changed (keys, certificate, scope), by name. */
    private static Map<String, Object> changes(List<Entry> before, List<Entry> after) {
        Map<String, String> old = new HashMap<>();
        before.forEach(entry -> old.put(entry.principal().name(), entry.fingerprint()));
        Map<String, String> now = new HashMap<>();
        after.forEach(entry -> now.put(entry.principal().name(), entry.fingerprint()));
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("principals", after.size());
        changes.put("added", new TreeSet<>(now.keySet().stream().filter(name -> !old.containsKey(name)).toList()));
        changes.put("removed", new TreeSet<>(old.keySet().stream().filter(name -> !now.containsKey(name)).toList()));
        changes.put("changed", new TreeSet<>(now.keySet().stream()
                .filter(name -> old.containsKey(name) && !Objects.equals(old.get(name), now.get(name))).toList()));
        return changes;
    }

    /** The entries of a principals file; its error messages name principals, never quote a key. */
    private static List<Entry> parse(byte[] content) {
        JsonNode json;
        try {
            json = JSON.readTree(content);
        } catch (JacksonException notJson) {
            // the parser's message may quote the text around the error, which could be a key
            throw new IllegalStateException("the principals file is not valid JSON");
        }
        if (json == null || !json.isArray() || json.isEmpty()) {
            throw new IllegalStateException("the principals file must be a non-empty JSON array");
        }
        List<Entry> parsed = new ArrayList<>();
        Map<String, String> keyHolders = new HashMap<>();
        for (JsonNode entry : json) {
            String name = required(entry, "name", "a principal");
            // names are what events record as the actor and what a console session refers to
            if (parsed.stream().anyMatch(other -> other.principal().name().equals(name))) {
                throw new IllegalStateException("principal " + name + " is named twice; names must be unique");
            }
            Role role = role(entry, name);
            List<String> keys = keys(entry, name);
            String bankCode = role == Role.BANK ? required(entry, "bankCode", "principal " + name) : null;
            boolean bindable = role == Role.PLATFORM || role == Role.AUDITOR;
            String regionPrefix = role == Role.REGULATOR ? required(entry, "regionPrefix", "principal " + name)
                    : bindable ? text(entry, "regionPrefix") : null;
            if (regionPrefix != null && !REGION_PREFIX.matcher(regionPrefix).matches()) {
                throw new IllegalStateException("principal " + name + ": regionPrefix is 0-6 digits");
            }
            X500Principal subject = certificateSubject(entry, name, role);
            if (keys.isEmpty() && subject == null) {
                throw new IllegalStateException("principal " + name + " needs apiKey, apiKeys or certificateSubject");
            }
            List<byte[]> hashes = new ArrayList<>();
            for (String key : keys) {
                String earlier = keyHolders.putIfAbsent(key, name);
                if (earlier != null && !earlier.equals(name)) {
                    throw new IllegalStateException("principals " + earlier + " and " + name + " hold the same key");
                }
                hashes.add(sha256(key.getBytes(StandardCharsets.UTF_8)));
            }
            List<String> institutions = bindable ? institutions(entry, name) : List.of();
            parsed.add(new Entry(new ApiPrincipal(name, role, bankCode, regionPrefix, institutions),
                    List.copyOf(hashes), subject));
        }
        return List.copyOf(parsed);
    }

    private static Role role(JsonNode entry, String name) {
        String role = required(entry, "role", "principal " + name);
        try {
            return Role.valueOf(role);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException("principal " + name + ": role is one of " + Arrays.toString(Role.values()));
        }
    }

    private static List<String> keys(JsonNode entry, String name) {
        List<String> keys = new ArrayList<>();
        String single = text(entry, "apiKey");
        if (single != null) {
            keys.add(single);
        }
        JsonNode many = entry.get("apiKeys");
        if (many != null && !many.isNull()) {
            if (!many.isArray()) {
                throw new IllegalStateException("principal " + name + ": apiKeys is an array of keys");
            }
            many.forEach(key -> keys.add(key.asString()));
        }
        if (keys.stream().anyMatch(key -> key == null || key.length() < MIN_KEY_LENGTH)) {
            throw new IllegalStateException("principal " + name + ": every key must have at least "
                    + MIN_KEY_LENGTH + " characters");
        }
        return keys;
    }

    private static X500Principal certificateSubject(JsonNode entry, String name, Role role) {
        String subject = text(entry, "certificateSubject");
        if (subject == null) {
            return null;
        }
        if (role != Role.BANK) {
            throw new IllegalStateException("principal " + name + ": only banks sign in with a client certificate");
        }
        try {
            return new X500Principal(subject);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException("principal " + name + ": certificateSubject is not a distinguished name");
        }
    }

    private static Path demoPrincipals(Path demoFile) throws IOException {
        Path file = demoFile.toAbsolutePath().normalize();
        if (Files.exists(file)) {
            // earlier versions wrote it readable by everyone
            OwnerOnlyFiles.restrict(file);
            log.warn("No LEDGER_PRINCIPALS_FILE: using the demo principals in {} (mode 600). Their keys are for "
                    + "trying the ledger only; give real principals a file named by LEDGER_PRINCIPALS_FILE",
                    file);
            return file;
        }
        ArrayNode demo = JSON.createArrayNode();
        demo.addObject().put("name", "demo-bank").put("role", "BANK").put("apiKey", newKey("bank"))
                .put("bankCode", "ICBC-HZ");
        demo.addObject().put("name", "demo-platform").put("role", "PLATFORM").put("apiKey", newKey("platform"));
        demo.addObject().put("name", "demo-regulator").put("role", "REGULATOR").put("apiKey", newKey("regulator"))
                .put("regionPrefix", "");
        demo.addObject().put("name", "demo-auditor").put("role", "AUDITOR").put("apiKey", newKey("auditor"));
        OwnerOnlyFiles.create(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(demo));
        log.warn("No LEDGER_PRINCIPALS_FILE: created one demo principal per role; their keys are in {} (mode 600). "
                + "They are for trying the ledger only; give real principals a file named by LEDGER_PRINCIPALS_FILE",
                file);
        return file;
    }

    private static String newKey(String role) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return "demo-" + role + "-" + HexFormat.of().formatHex(random);
    }

    /** The institutions a platform or auditor is bound to ({@code "institutions": [...]}); none when absent. */
    private static List<String> institutions(JsonNode entry, String name) {
        JsonNode listed = entry.get("institutions");
        if (listed == null || listed.isNull()) {
            return List.of();
        }
        if (!listed.isArray()) {
            throw new IllegalStateException("principal " + name + ": institutions is an array of institution ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : listed) {
            if (!id.isString() || InstitutionId.problemWith(id.asString()) != null) {
                throw new IllegalStateException("principal " + name + ": " + id + " is not an institution id");
            }
            ids.add(id.asString());
        }
        return ids;
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String required(JsonNode entry, String field, String who) {
        String value = text(entry, field);
        if (value == null) {
            throw new IllegalStateException(who + " needs " + field);
        }
        return value;
    }

    /** SHA-256 of a secret's UTF-8 bytes: how keys (and console session ids) are kept. */
    public static byte[] sha256(String secret) {
        return sha256(secret.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
