package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.Ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Who takes part in a simulated term, all derived from the seed: regions, custodian banks, the
 * principals the ledger must know (written to its {@code LEDGER_PRINCIPALS_FILE}), and institutions
 * with their accounts and the scenario each one plays.
 */
record Population(long seed, List<String> regions, List<String> banks, List<Institution> institutions) {

    /** Districts (GB/T 2260) in five provinces. */
    static final List<String> REGIONS = List.of("310104", "310115", "110108", "110105", "330106", "330110",
            "440305", "510107");
    static final List<String> BANKS = List.of("ICBC", "CCB", "BOC", "ABC", "BOCOM", "CMB", "SPDB", "CIB");

    record Institution(int index, String institutionId, String name, String regionCode, String category,
                       String bankCode, List<String> accountIds, Scenario scenario) {
    }

    static Population of(long seed, int institutionCount, int bankCount, int perScenario) {
        List<String> banks = BANKS.subList(0, Math.max(1, Math.min(bankCount, BANKS.size())));
        SplittableRandom random = new SplittableRandom(seed);
        List<Scenario> roles = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            if (scenario != Scenario.BENIGN) {
                roles.addAll(Collections.nCopies(perScenario, scenario));
            }
        }
        while (roles.size() < institutionCount) {
            roles.add(Scenario.BENIGN);
        }
        shuffle(roles, random);
        List<Institution> institutions = new ArrayList<>();
        for (int i = 0; i < institutionCount; i++) {
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            String id = Ids.institutionId(region, seed * 100_000 + i);
            String bank = banks.get(random.nextInt(banks.size()));
            Scenario scenario = roles.get(i);
            int accounts = scenario.plan().accountCount(random);
            List<String> accountIds = new ArrayList<>();
            for (int a = 0; a < accounts; a++) {
                accountIds.add("S" + seed + "-I" + i + "-A" + a);
            }
            String category = random.nextInt(5) == 0 ? "SUBJECT" : "NON_SUBJECT";
            institutions.add(new Institution(i, id, "模拟培训学校 " + seed + "-" + i, region, category, bank,
                    List.copyOf(accountIds), scenario));
        }
        return new Population(seed, REGIONS, List.copyOf(banks), List.copyOf(institutions));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /** The ledger's principals: a key per bank, the platform, a national and regional regulators, an auditor. */
    List<Map<String, String>> principals() {
        List<Map<String, String>> principals = new ArrayList<>();
        for (String bank : banks) {
            principals.add(principal("sim-bank-" + bank, "BANK", "bankCode", bank));
        }
        principals.add(principal("sim-platform", "PLATFORM", null, null));
        principals.add(principal("sim-regulator-national", "REGULATOR", "regionPrefix", ""));
        for (String province : new TreeSet<>(regions.stream().map(r -> r.substring(0, 2)).toList())) {
            principals.add(principal("sim-regulator-" + province, "REGULATOR", "regionPrefix", province));
        }
        principals.add(principal("sim-auditor", "AUDITOR", null, null));
        return principals;
    }

    /** The simulator's name for the key of a principal: its role, or BANK:code for a bank. */
    static Map<String, String> keysByPrincipal(List<Map<String, String>> principals) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map<String, String> principal : principals) {
            String role = principal.get("role");
            if ("BANK".equals(role)) {
                keys.put(bankPrincipal(principal.get("bankCode")), principal.get("apiKey"));
            } else if ("REGULATOR".equals(role) && !principal.get("regionPrefix").isEmpty()) {
                keys.put("REGULATOR:" + principal.get("regionPrefix"), principal.get("apiKey"));
            } else {
                keys.putIfAbsent(role, principal.get("apiKey"));
            }
        }
        return keys;
    }

    static String bankPrincipal(String bankCode) {
        return "BANK:" + bankCode;
    }

    /** The simulator's name for the regulator of a region's province. */
    static String regulatorPrincipal(String regionCode) {
        return "REGULATOR:" + regionCode.substring(0, 2);
    }

    private Map<String, String> principal(String name, String role, String scopeField, String scope) {
        Map<String, String> principal = new LinkedHashMap<>();
        principal.put("name", name);
        principal.put("role", role);
        principal.put("apiKey", "sim-" + sha256Hex(seed + "/" + name).substring(0, 40));
        if (scopeField != null) {
            principal.put(scopeField, scope);
        }
        return principal;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
