package com.redfour.shopping.hostile;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A seeded generator of hostile requests to every endpoint: JSON of random shapes and types, bodies
 * that are not JSON or not UTF-8, huge and deep values, odd headers and odd path segments. The same
 * seed gives the same cases.
 */
final class HostileCases {

    /** An endpoint under {@code /v1/stores/{store}/sessions/{key}} and the fields its body may have. */
    record Endpoint(String method, String path, List<String> fields) {
        boolean takesBody() {
            return !fields.isEmpty();
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("PUT", "", List.of("landing", "referrer", "ip", "memberId", "currency")),
            new Endpoint("GET", "", List.of()),
            new Endpoint("DELETE", "", List.of()),
            new Endpoint("POST", "/items", List.of("sku", "name", "price", "quantity", "attributes")),
            new Endpoint("PATCH", "/lines/{lineId}", List.of("quantity")),
            new Endpoint("DELETE", "/lines/{lineId}", List.of()),
            new Endpoint("PUT", "/note", List.of("note")),
            new Endpoint("DELETE", "/note", List.of()),
            new Endpoint("PATCH", "/attributes", List.of("gift", "channel")),
            new Endpoint("POST", "/touches", List.of("landing", "referrer")),
            new Endpoint("PATCH", "/items/{sku}", List.of("quantity")),
            new Endpoint("DELETE", "/items/{sku}", List.of()),
            new Endpoint("DELETE", "/items", List.of()),
            new Endpoint("POST", "/discounts", List.of("code", "percentOff", "amountOff")),
            new Endpoint("DELETE", "/discounts/{code}", List.of()),
            new Endpoint("PUT", "/member", List.of("memberId", "merge")),
            new Endpoint("DELETE", "/member", List.of()),
            new Endpoint("POST", "/logs", List.of("entry")),
            new Endpoint("POST", "/close", List.of("orderId")),
            new Endpoint("POST", "/recovery-links", List.of("ttl", "campaign")),
            new Endpoint("GET", "/recovery-links", List.of()));

    private static final List<String> INJECTIONS = List.of(
            "'; DROP TABLE session; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}",
            "#{7*7}", "../../../../etc/passwd", "%00", "\\u0000", "java.lang.Object", "{{7*7}}", "$(id)",
            "\r\nSet-Cookie: x=1");
    private static final List<String> ODD_TEXT = List.of(
            "", " ", "\t", "\u0000", "\u001f", "\u007f", "\u200b", "\u202e", "e\u0301", "\uD83D\uDE80", "\uFEFF",
            "\u00e9\u00e8", "\u4e2d\u6587", "null", "true", "0", "-1", "1e309", "NaN");
    private static final List<String> CONTENT_TYPES = List.of(
            "text/plain", "application/xml", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "application/json;;;",
            "application/problem+json", "application/json; charset=\"utf-8", "json", "application/jsonx");
    private static final List<String> IF_MATCH = List.of(
            "\"1\"", "*", "W/\"1\"", "\"99999999999999999999\"", "\"-1\"", "1", "\"abc\"", "\"1\", \"2\"", "", ",,,",
            "\"1\"\"2\"", "W/", "\"\"", "*, \"1\"");
    private static final List<String> ACCEPT = List.of(
            "text/html", "application/xml", "*/*", "application/json;q=0", "application/*", "image/png, text/*;q=0.1");
    private static final List<String> METHODS = List.of("OPTIONS", "HEAD", "TRACE", "FOO", "get", "POST", "PATCH", "PUT");

    private final Random random;

    HostileCases(long seed) {
        this.random = new Random(seed);
    }

    Endpoint endpoint() {
        return pick(ENDPOINTS);
    }

    // --- values ------------------------------------------------------------------------------

    /** A string meant to break something: empty, control characters, huge, unicode, injections. */
    String hostileString() {
        return switch (random.nextInt(9)) {
            case 0 -> pick(INJECTIONS);
            case 1 -> pick(ODD_TEXT);
            case 2 -> repeat("x", 201 + random.nextInt(300));
            case 3 -> repeat("\uD83D\uDE80", 1 + random.nextInt(600));
            case 4 -> repeat("A", 2049 + random.nextInt(3000));
            case 5 -> randomChars(1 + random.nextInt(40), 0x20, 0x7e);
            case 6 -> randomChars(1 + random.nextInt(40), 0x00, 0x2ff);
            case 7 -> pick(ODD_TEXT) + pick(INJECTIONS);
            default -> randomChars(1 + random.nextInt(10), 0x21, 0x7e);
        };
    }

    /** A JSON number as text: huge, tiny, negative, many decimals, exponents. */
    String hostileNumber() {
        return switch (random.nextInt(12)) {
            case 0 -> "0";
            case 1 -> "-0";
            case 2 -> "-1";
            case 3 -> Long.toString(random.nextLong());
            case 4 -> new BigInteger(200, random).toString();
            case 5 -> "1e400";
            case 6 -> "1E-400";
            case 7 -> "0.001";
            case 8 -> "19.999";
            case 9 -> "1000000.01";
            case 10 -> "-" + (random.nextInt(100000) / 100.0);
            default -> Integer.toString(random.nextInt(2000) - 500);
        };
    }

    /** Any JSON value, as text, nested at most {@code depth} deep. */
    String jsonValue(int depth, List<String> fieldNames) {
        int kind = depth <= 0 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> quote(random.nextBoolean() ? hostileString() : randomChars(random.nextInt(8), 0x61, 0x7a));
            case 1 -> hostileNumber();
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "null";
            case 4 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(jsonValue(depth - 1, fieldNames));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> jsonObject(depth - 1, fieldNames);
        };
    }

    private String jsonObject(int depth, List<String> fieldNames) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            String name = !fieldNames.isEmpty() && random.nextInt(3) > 0 ? pick(fieldNames) : hostileString();
            fields.put(name, jsonValue(depth, fieldNames));
        }
        return object(fields);
    }

    /** A plausible value for a known field, so that a body can be valid but for one field. */
    private Supplier<String> plausible(String field) {
        return switch (field) {
            case "sku" -> () -> quote("SKU-" + random.nextInt(5));
            case "name" -> () -> quote("Falcon rocket");
            case "price", "amountOff" -> () -> "1" + random.nextInt(10) + ".99";
            case "quantity" -> () -> Integer.toString(1 + random.nextInt(3));
            case "code" -> () -> quote("SAVE" + random.nextInt(3));
            case "percentOff" -> () -> Integer.toString(1 + random.nextInt(50));
            case "memberId" -> () -> quote("member-" + random.nextInt(3));
            case "merge" -> () -> Boolean.toString(random.nextBoolean());
            case "entry" -> () -> quote("looked at rockets");
            case "note" -> () -> quote("Gift wrap, please");
            case "attributes" -> () -> "{\"engraving\":\"For Ada\"}";
            case "gift", "channel" -> () -> random.nextBoolean() ? quote("yes") : "null";
            case "orderId" -> () -> quote("order-1");
            case "ttl" -> () -> quote(random.nextBoolean() ? "P1D" : "PT12H");
            case "campaign" -> () -> quote("abandoned-1h");
            case "landing" -> () -> quote("/rockets");
            case "referrer" -> () -> quote("https://search.example/?q=rockets");
            case "ip" -> () -> quote("203.0.113.9");
            case "currency" -> () -> quote("EUR");
            default -> () -> "null";
        };
    }

    // --- bodies ------------------------------------------------------------------------------

    /** A request body for {@code endpoint}, or null for none. */
    byte[] body(Endpoint endpoint) {
        int kind = random.nextInt(10);
        if (!endpoint.takesBody() && kind < 7) {
            return null;
        }
        String text = switch (kind) {
            case 0, 1, 2, 3 -> nearlyValid(endpoint);
            case 4, 5 -> jsonValue(3, endpoint.fields());
            case 6 -> jsonObject(2, endpoint.fields());
            default -> null;
        };
        return text != null ? text.getBytes(StandardCharsets.UTF_8) : malformed(endpoint);
    }

    /** The endpoint's fields with plausible values, except for some that are missing, odd or unknown. */
    private String nearlyValid(Endpoint endpoint) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : endpoint.fields()) {
            int fate = random.nextInt(10);
            if (fate < 6) {
                fields.put(field, plausible(field).get());
            } else if (fate < 9) {
                fields.put(field, jsonValue(1, List.of()));
            }
        }
        if (random.nextInt(5) == 0) {
            fields.put(random.nextBoolean() ? "version" : hostileString(), jsonValue(1, List.of()));
        }
        return object(fields);
    }

    /** Bytes that are not a JSON document, or not UTF-8. */
    byte[] malformed(Endpoint endpoint) {
        String valid = nearlyValid(endpoint);
        return switch (random.nextInt(14)) {
            case 0 -> new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE};
            case 1 -> concat("{\"sku\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}");
            case 2 -> utf8(valid.substring(0, Math.max(0, valid.length() - 1 - random.nextInt(Math.max(1, valid.length())))));
            case 3 -> utf8(valid + "garbage");
            case 4 -> utf8("\uFEFF" + valid);
            case 5 -> utf8(repeat("[", 40) + repeat("]", 40));
            case 6 -> utf8(repeat("{\"a\":", 40) + "1" + repeat("}", 40));
            case 7 -> utf8("{\"quantity\":" + repeat("9", 100) + "}");
            case 8 -> utf8("{\"price\":1,\"price\":2}");
            case 9 -> utf8("{'sku': 'A', /* comment */ \"name\": NaN}");
            case 10 -> utf8("{\"quantity\": 007, \"price\": 0x10, \"x\": Infinity}");
            case 11 -> new byte[0];
            case 12 -> utf8(valid.replace("\"", ""));
            default -> utf16(valid);
        };
    }

    // --- headers and paths -------------------------------------------------------------------

    /** Headers to add to a request: mostly ordinary, sometimes odd. A null value means: leave it out. */
    Map<String, byte[]> headers(Endpoint endpoint, boolean hasBody) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        if (hasBody) {
            headers.put("Content-Type", random.nextInt(10) < 7 ? utf8("application/json")
                    : random.nextBoolean() ? null : utf8(pick(CONTENT_TYPES)));
        } else if (random.nextInt(10) == 0) {
            headers.put("Content-Type", utf8(pick(CONTENT_TYPES)));
        }
        if (random.nextInt(5) == 0) {
            headers.put("If-Match", utf8(random.nextBoolean() ? pick(IF_MATCH) : hostileHeaderValue()));
        }
        if (random.nextInt(5) == 0) {
            headers.put("Idempotency-Key", switch (random.nextInt(6)) {
                case 0 -> utf8(randomChars(256, 0x21, 0x7e));
                case 1 -> utf8(randomChars(1 + random.nextInt(255), 0x21, 0x7e));
                case 2 -> utf8("key with spaces");
                case 3 -> new byte[] {'k', 0x01, 'y'};
                case 4 -> utf8("cl\u00e9");
                default -> utf8(hostileHeaderValue());
            });
        }
        if (random.nextInt(10) == 0) {
            headers.put("Accept", utf8(pick(ACCEPT)));
        }
        if (endpoint.method().equals("PUT") && endpoint.path().isEmpty() && random.nextInt(4) == 0) {
            headers.put("X-Forwarded-For", utf8(random.nextBoolean() ? hostileHeaderValue() : "198.51.100.7, 10.0.0.1"));
        }
        if (random.nextInt(20) == 0) {
            headers.put("X-HTTP-Method-Override", utf8("DELETE"));
        }
        return headers;
    }

    private String hostileHeaderValue() {
        // Header values are Latin-1 text without CR or LF: anything else is a different attack.
        String s = hostileString().replaceAll("[\\r\\n]", "");
        StringBuilder latin1 = new StringBuilder();
        s.codePoints().filter(c -> c >= 0x20 && c <= 0xff && c != 0x7f).limit(4000).forEach(latin1::appendCodePoint);
        return latin1.toString();
    }

    /** A path segment that the contract does not allow (or allows only barely), percent-encoded or raw. */
    String hostileSegment() {
        return switch (random.nextInt(20)) {
            case 0 -> "DEMO";
            case 1 -> "de_mo";
            case 2 -> repeat("a", 64);
            case 3 -> ".";
            case 4 -> "..";
            case 5 -> "%2e%2e";
            case 6 -> "a%2Fb";
            case 7 -> "a%00b";
            case 8 -> "%FF%FE";
            case 9 -> "%C3%A9t%C3%A9";
            case 10 -> repeat("k", 15);
            case 11 -> repeat("k", 129);
            case 12 -> "abcdefghijklmnop.q";
            case 13 -> "abcdefghijklmnop%20";
            case 14 -> repeat("z", 1000);
            case 15 -> "abcdefghijklmnopq;jsessionid=1";
            case 16 -> "%252F";
            case 17 -> "-";
            case 18 -> "abcdefghijklmnopq%3Fx=1";
            default -> "%" + Integer.toHexString(random.nextInt(256)).toUpperCase();
        };
    }

    String method(Endpoint endpoint) {
        return random.nextInt(20) == 0 ? pick(METHODS) : endpoint.method();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    // --- helpers -----------------------------------------------------------------------------

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String randomChars(int length, int from, int to) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            int c = from + random.nextInt(to - from + 1);
            if (c < 0xD800 || c > 0xDFFF) {
                s.appendCodePoint(c);
            }
        }
        return s.toString();
    }

    static String repeat(String s, int n) {
        return s.repeat(n);
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private static String object(Map<String, String> fields) {
        List<String> members = new ArrayList<>();
        fields.forEach((name, value) -> members.add(quote(name) + ":" + value));
        return "{" + String.join(",", members) + "}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        byte[] first = utf8(a);
        byte[] last = utf8(c);
        byte[] all = new byte[first.length + b.length + last.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(b, 0, all, first.length, b.length);
        System.arraycopy(last, 0, all, first.length + b.length, last.length);
        return all;
    }
}
