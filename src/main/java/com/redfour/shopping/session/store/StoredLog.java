package com.redfour.shopping.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.SessionLog;
import com.redfour.shopping.session.Timestamps;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's log entries as read from {@code session_log} (V6): each entry is stored once, as the
 * contract's JSON of it ({@code {"at":"…","entry":"…"}}), and the newest are read back as one text of
 * comma-separated objects, oldest first. A response splices that text in as it is ({@link #array});
 * nothing parses it unless asked for the entries themselves.
 *
 * <p>The table holds a session's entries in chunks of {@link #CHUNK} (entry number / {@code CHUNK}),
 * so that appending rewrites at most one small row and reading the newest {@link SessionLog#MAX_ENTRIES}
 * reads about a dozen; {@link SessionTable} keeps the numbering and removes chunks out of view.
 */
public final class StoredLog implements SessionLog.Stored {

    /** Entries per row of {@code session_log}. */
    static final int CHUNK = 20;

    private static final String ENTRY_START = ",{\"at\":\"";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private String json;
    private SessionLog written;
    private final int size;
    private List<LogEntry> entries;

    /** {@code json}: {@code size} entries as stored, comma-separated ({@code ""} or {@code null} when none). */
    StoredLog(String json, int size) {
        this.json = json == null ? "" : json;
        this.size = this.json.isEmpty() ? 0 : size;
    }

    private StoredLog(SessionLog written) {
        this.written = written;
        this.size = written.size();
    }

    /**
     * The log as the store holds it once {@code log} is written: the entries in view, as stored. Its
     * text is joined only if someone reads it (a lane's next batch answering from it), not per write.
     */
    static StoredLog of(SessionLog log) {
        return new StoredLog(log);
    }

    private synchronized String json() {
        if (json == null) {
            json = joined(written);
            written = null;
        }
        return json;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public synchronized List<LogEntry> entries() {
        if (entries == null) {
            entries = parse(json());
        }
        return entries;
    }

    /** The JSON array of a log's entries in view, oldest first: stored entries as stored, added ones rendered. */
    public static String array(SessionLog log) {
        return "[" + joined(log) + "]";
    }

    /** The entries in view as comma-separated JSON objects. */
    private static String joined(SessionLog log) {
        StringBuilder text = new StringBuilder();
        if (log.stored() instanceof StoredLog stored) {
            text.append(stored.after(log.dropped()));
        } else {
            List<LogEntry> read = log.stored().entries();
            read.subList(log.dropped(), read.size()).forEach(entry -> appendEntry(text, entry));
        }
        log.added().forEach(entry -> appendEntry(text, entry));
        return text.toString();
    }

    private static void appendEntry(StringBuilder text, LogEntry entry) {
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(render(entry));
    }

    /** The stored text without its first {@code skip} entries. */
    private String after(int skip) {
        String json = json();
        int from = 0;
        for (int i = 0; i < skip; i++) {
            int next = json.indexOf(ENTRY_START, from);
            if (next < 0) {
                return "";
            }
            from = next + 1;
        }
        return json.substring(from);
    }

    /** One entry as the contract writes it, and as it is stored. */
    static String render(LogEntry entry) {
        StringBuilder text = new StringBuilder(48 + entry.entry().length());
        text.append("{\"at\":\"").append(Timestamps.iso(entry.at())).append("\",\"entry\":\"");
        JsonStringEncoder.getInstance().quoteAsString(entry.entry(), text);
        return text.append("\"}").toString();
    }

    private static List<LogEntry> parse(String json) {
        if (json.isEmpty()) {
            return List.of();
        }
        try {
            JsonNode array = MAPPER.readTree("[" + json + "]");
            List<LogEntry> parsed = new ArrayList<>(array.size());
            array.forEach(node -> parsed.add(new LogEntry(Instant.parse(node.get("at").asText()), node.get("entry").asText())));
            return List.copyOf(parsed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session_log holds JSON this version cannot read", e);
        }
    }
}
