package com.redfour.shopping.event.store;

import com.redfour.shopping.db.Unavailability;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reading the {@code session_event} table (the outbox the session store writes with every change).
 *
 * <p>An event's id is its writing transaction's id x 1000 + its place in that transaction. A reader
 * is only given ids below 1000 x the oldest transaction still running ({@link #VISIBLE}): every
 * transaction below that has finished, so an event that commits later always gets a higher id than
 * any a reader has already been given, and paging with {@code after} never skips one. The price: an
 * event becomes readable only once every transaction that started writing before it has finished
 * (usually milliseconds; a long transaction on the same database holds events back while it runs).
 */
@ApplicationScoped
public class EventTable {

    /** The condition, evaluated in the statement that reads, under which an event may be handed out. */
    public static final String VISIBLE = "id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1000";

    /** Ids are written as this many digits, zero-padded, so that they also sort as text. */
    public static final int ID_DIGITS = 20;

    private static final String PAGE = "SELECT id, payload::text FROM session_event WHERE store = $1 AND id > $2 AND "
            + VISIBLE;

    /** One event as delivered: its id and JSON. */
    public record Event(long id, String json) {
    }

    /** A page of events and the id to read after next (the last one given, or the one asked after). */
    public record Page(List<Event> events, long next) {
    }

    private final Pool pool;

    public EventTable(Pool pool) {
        this.pool = pool;
    }

    /**
     * Up to {@code limit} events of {@code store} after {@code after}, oldest first.
     *
     * @param sessionKey only this session's events, when not null
     * @param types only these types, when not empty
     */
    public Uni<Page> page(String store, long after, int limit, String sessionKey, List<String> types) {
        StringBuilder sql = new StringBuilder(PAGE);
        Tuple values = Tuple.of(store, after);
        if (sessionKey != null) {
            values.addValue(sessionKey);
            sql.append(" AND session_key = $").append(values.size());
        }
        if (!types.isEmpty()) {
            values.addValue(types.toArray(new String[0]));
            sql.append(" AND type = ANY ($").append(values.size()).append(")");
        }
        values.addValue(limit);
        sql.append(" ORDER BY id LIMIT $").append(values.size());
        return Unavailability.guarded(pool.preparedQuery(sql.toString()).execute(values).map(rows -> {
            List<Event> events = new ArrayList<>(rows.size());
            rows.forEach(row -> events.add(new Event(row.getLong(0), render(row.getLong(0), row.getString(1)))));
            return new Page(events, events.isEmpty() ? after : events.get(events.size() - 1).id());
        }));
    }

    /** The event as delivered: the stored payload with its id first. */
    public static String render(long id, String payload) {
        return "{\"id\":\"" + formatId(id) + "\"," + payload.substring(payload.indexOf('{') + 1);
    }

    public static String formatId(long id) {
        String digits = Long.toString(id);
        return "0".repeat(Math.max(0, ID_DIGITS - digits.length())) + digits;
    }

    /** An id as a client gave it back: 1 to 20 digits. */
    public static OptionalLong parseId(String text) {
        if (text == null || text.isEmpty() || text.length() > ID_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }
}
