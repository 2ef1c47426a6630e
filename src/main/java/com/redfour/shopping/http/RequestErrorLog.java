package com.redfour.shopping.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.Logger;
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
 * and no header or body is logged.
 */
public class RequestErrorLog {

    private static final Logger LOG = Logger.getLogger("com.redfour.shopping.requests");
    private static final Pattern SECRET_SEGMENT = Pattern.compile("(/(?:sessions|members)/)([^/]+)");

    @ServerResponseFilter
    public void logErrors(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400) {
            return;
        }
        String type = response.getEntity() instanceof Problem problem ? problem.type() : "-";
        Logger.Level level = status >= 500 ? Logger.Level.ERROR : Logger.Level.INFO;
        LOG.logf(level, "%s %s -> %d %s", request.getMethod(), redact(request.getUriInfo().getPath()), status, type);
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
