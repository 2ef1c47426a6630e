package com.redfour.shopping.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log line per request that ends in an error: method, path, status and problem type. Session keys
 * and member ids are replaced by a short hash (a session key is as good as a password to its cart),
 * and no header or body is logged. The same facts are also put in the log record's MDC as fields of
 * their own ({@code http.request.method}, {@code url.path}, {@code http.response.status_code},
 * {@code problem.type}), which the JSON log format writes out; the trace and span ids are there too.
 */
public class RequestErrorLog {

    private static final Logger LOG = Logger.getLogger("com.redfour.shopping.requests");
    static final String METHOD = "http.request.method";
    static final String PATH = "url.path";
    static final String STATUS = "http.response.status_code";
    static final String PROBLEM = "problem.type";
    private static final Pattern SECRET_SEGMENT = Pattern.compile("(/(?:sessions|members)/)([^/]+)");

    @ServerResponseFilter
    public void logErrors(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400) {
            return;
        }
        String type = response.getEntity() instanceof Problem problem ? problem.type() : "-";
        Logger.Level level = status >= 500 ? Logger.Level.ERROR : Logger.Level.INFO;
        String path = redact(request.getUriInfo().getPath());
        // The same facts as fields of their own, for a JSON log collector (the prod profile's format).
        MDC.put(METHOD, request.getMethod());
        MDC.put(PATH, path);
        MDC.put(STATUS, Integer.toString(status));
        MDC.put(PROBLEM, type);
        try {
            LOG.logf(level, "%s %s -> %d %s", request.getMethod(), path, status, type);
        } finally {
            MDC.remove(METHOD);
            MDC.remove(PATH);
            MDC.remove(STATUS);
            MDC.remove(PROBLEM);
        }
    }

    /** The path with every session key and member id replaced by the first 12 hex digits of its SHA-256. */
    static String redact(String path) {
        Matcher m = SECRET_SEGMENT.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "#" + shortHash(m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String shortHash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
