package com.redfour.shopping.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: hostile requests (invalid UTF-8, odd paths,
 * malformed headers) must reach the server exactly as a client could send them, which no regular
 * HTTP client allows. One request per connection ({@code Connection: close}).
 */
final class RawHttp {

    /** Longer than any bounded wait in the service: a request that takes this long has hung. */
    static final int HANG_MILLIS = 15_000;

    private final String host;
    private final int port;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A response: status, headers (names in lower case) and body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /** A request to build: method, target (sent verbatim), headers in order, optional body. */
    static final class Request {
        final String method;
        final byte[] target;
        final Map<String, byte[]> headers = new LinkedHashMap<>();
        byte[] body;
        boolean chunked;

        Request(String method, String target) {
            this(method, target.getBytes(StandardCharsets.UTF_8));
        }

        Request(String method, byte[] target) {
            this.method = method;
            this.target = target;
        }

        Request header(String name, String value) {
            return header(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }

        Request header(String name, byte[] value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        Request body(String json) {
            return body(json.getBytes(StandardCharsets.UTF_8));
        }

        Request body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Request chunked() {
            this.chunked = true;
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, method + " ");
            out.writeBytes(target);
            write(out, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            for (Map.Entry<String, byte[]> h : headers.entrySet()) {
                write(out, h.getKey() + ": ");
                out.writeBytes(h.getValue());
                write(out, "\r\n");
            }
            if (body != null && chunked) {
                write(out, "Transfer-Encoding: chunked\r\n\r\n");
                for (int at = 0; at < body.length; at += 4096) {
                    int n = Math.min(4096, body.length - at);
                    write(out, Integer.toHexString(n) + "\r\n");
                    out.write(body, at, n);
                    write(out, "\r\n");
                }
                write(out, "0\r\n\r\n");
            } else if (body != null) {
                write(out, "Content-Length: " + body.length + "\r\n\r\n");
                out.writeBytes(body);
            } else {
                write(out, "\r\n");
            }
            return out.toByteArray();
        }

        /** Everything sent, as Latin-1 text in lower case (to tell an echo from a leak). */
        String sentText() {
            return new String(bytes(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        }

        private static void write(ByteArrayOutputStream out, String text) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    Response send(Request request) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(HANG_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes());
                out.flush();
            } catch (IOException e) {
                // The server may answer (413, 431) and close before it has read everything; the
                // answer is still there to read.
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed without a response");
            }
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(h.substring(colon + 1).trim());
            }
            byte[] body;
            if (request.method.equals("HEAD") || status == 204 || status == 304) {
                body = new byte[0];
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
            } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
                body = dechunk(in);
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, body);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + HANG_MILLIS + " ms: the request hung", e);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(in); size != null; size = line(in)) {
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                break;
            }
            body.writeBytes(in.readNBytes(n));
            line(in);
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
