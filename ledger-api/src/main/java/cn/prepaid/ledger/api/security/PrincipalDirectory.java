package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.core.ids.InstitutionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The principals allowed to call the ledger, from {@code ledger.principals-file}
 * ({@code LEDGER_PRINCIPALS_FILE}; a path or {@code classpath:} resource). Without a file, one demo
 * principal per role is created once, written to {@code ./data/demo-principals.json} and reused on
 * later starts. Keys are kept only as SHA-256 hashes and every lookup compares against all of them
 * in constant time, so neither the store nor the timing tells which key is close.
 */
@Component
public class PrincipalDirectory {

    private static final Logger log = LoggerFactory.getLogger(PrincipalDirectory.class);
    private static final Pattern REGION_PREFIX = Pattern.compile("\\d{0,6}");

    private final List<ApiPrincipal> principals;

    public PrincipalDirectory(@Value("${ledger.principals-file:}") String principalsFile,
                              @Value("${ledger.demo-principals-file:./data/demo-principals.json}") String demoFile)
            throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode entries;
        if (principalsFile != null && !principalsFile.isBlank()) {
            Resource resource = new DefaultResourceLoader().getResource(
                    principalsFile.startsWith("classpath:") ? principalsFile : "file:" + principalsFile);
            try (InputStream in = resource.getInputStream()) {
                entries = json.readTree(in);
            }
            log.info("Loaded principals from {}", principalsFile);
        } else {
            entries = demoPrincipals(json, Path.of(demoFile));
        }
        this.principals = List.copyOf(parse(entries));
    }

    /** The principal whose key this is, if any. Touches every principal whatever the answer. */
    public Optional<ApiPrincipal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(presentedKey);
        ApiPrincipal match = null;
        for (ApiPrincipal principal : principals) {
            if (MessageDigest.isEqual(principal.keyHash(), presented)) {
                match = principal;
            }
        }
        return Optional.ofNullable(match);
    }

    public List<ApiPrincipal> all() {
        return principals;
    }

    private static List<ApiPrincipal> parse(JsonNode entries) {
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw new IllegalStateException("the principals file must be a non-empty JSON array");
        }
        List<ApiPrincipal> parsed = new ArrayList<>();
        for (JsonNode entry : entries) {
            String name = text(entry, "name");
            Role role = Role.valueOf(text(entry, "role"));
            String key = text(entry, "apiKey");
            if (key == null || key.length() < 16) {
                throw new IllegalStateException("principal " + name + ": apiKey must have at least 16 characters");
            }
            String bankCode = role == Role.BANK ? required(entry, "bankCode", name) : null;
            boolean bindable = role == Role.PLATFORM || role == Role.AUDITOR;
            String regionPrefix = role == Role.REGULATOR ? required(entry, "regionPrefix", name)
                    : bindable ? text(entry, "regionPrefix") : null;
            if (regionPrefix != null && !REGION_PREFIX.matcher(regionPrefix).matches()) {
                throw new IllegalStateException("principal " + name + ": regionPrefix is 0-6 digits");
            }
            parsed.add(new ApiPrincipal(name, role, bankCode, regionPrefix, sha256(key),
                    bindable ? institutions(entry, name) : List.of()));
        }
        return parsed;
    }

    private static JsonNode demoPrincipals(JsonMapper json, Path file) throws IOException {
        if (Files.exists(file)) {
            log.warn("No LEDGER_PRINCIPALS_FILE: using the demo principals in {}", file.toAbsolutePath());
            return json.readTree(file.toFile());
        }
        ArrayNode demo = json.createArrayNode();
        demo.addObject().put("name", "demo-bank").put("role", "BANK").put("apiKey", newKey("bank"))
                .put("bankCode", "ICBC-HZ");
        demo.addObject().put("name", "demo-platform").put("role", "PLATFORM").put("apiKey", newKey("platform"));
        demo.addObject().put("name", "demo-regulator").put("role", "REGULATOR").put("apiKey", newKey("regulator"))
                .put("regionPrefix", "");
        demo.addObject().put("name", "demo-auditor").put("role", "AUDITOR").put("apiKey", newKey("auditor"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(demo), StandardCharsets.UTF_8);
        log.warn("No LEDGER_PRINCIPALS_FILE: created one demo principal per role; their keys are in {}",
                file.toAbsolutePath());
        return demo;
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

    private static String required(JsonNode entry, String field, String name) {
        String value = text(entry, field);
        if (value == null) {
            throw new IllegalStateException("principal " + name + " needs " + field);
        }
        return value;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
