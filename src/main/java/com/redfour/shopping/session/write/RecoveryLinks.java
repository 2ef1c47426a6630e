package com.redfour.shopping.session.write;

import com.redfour.shopping.db.Guarded;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.store.RecoveryLinkTable;
import com.redfour.shopping.session.store.RecoveryToken;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SessionTable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Cart recovery links as the rest of the service sees them: made for a session, previewed, listed.
 * None of these writes a session (restoring one is a {@link Write.Restore} through {@link Sessions#write});
 * database failures leave as {@code StoreUnavailable} ({@link Guarded}), as from {@link Sessions}.
 */
@ApplicationScoped
@Guarded
public class RecoveryLinks {

    /** At most this many unexpired links per session (the contract's limit). */
    public static final int MAX_LIVE = 10;

    private final RecoveryLinkTable links;
    private final SessionTable table;
    private final Clock clock;

    RecoveryLinks(RecoveryLinkTable links, SessionTable table, Clock clock) {
        this.links = links;
        this.table = table;
        this.clock = clock;
    }

    /** A new link, and its token (which nothing keeps: this is the only time it is known). */
    public record Issued(RecoveryLinkTable.Made made, String token) {
    }

    /** What a link shows: its state, and its session only while the link is ready. */
    public record Preview(RecoveryLink link, RecoveryLink.State state, Optional<Session> session) {
    }

    /** A session's links, or why there are none to show ({@link Outcome.NotFound}, {@link Outcome.Expired}). */
    public record Listing(Optional<Outcome.Refused> refused, List<RecoveryLink> links) {
    }

    public Uni<Issued> make(SessionId id, String campaign, Duration ttl) {
        String token = RecoveryToken.newToken();
        Instant now = clock.instant();
        return links.make(id, RecoveryToken.newLinkId(), RecoveryToken.hash(token), campaign, now, now.plus(ttl),
                MAX_LIVE).map(made -> new Issued(made, token));
    }

    /** The store's link for {@code token} (empty for an unknown, altered or another store's token). Reads only. */
    public Uni<Optional<Preview>> preview(String store, String token) {
        if (!RecoveryToken.isWellFormed(token)) {
            return Uni.createFrom().item(Optional.empty());
        }
        Instant now = clock.instant();
        return links.find(store, RecoveryToken.hash(token)).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<Preview>empty());
            }
            RecoveryLink link = found.get();
            return table.load(new SessionId(store, link.sessionKey()), now).map(row -> {
                RecoveryLink.State state = link.state(row, now);
                return Optional.of(new Preview(link, state,
                        state == RecoveryLink.State.READY ? row.current() : Optional.empty()));
            });
        });
    }

    /** The links made for the session as it is now (not those of an earlier life of its key), oldest first. */
    public Uni<Listing> list(SessionId id) {
        Instant now = clock.instant();
        return table.load(id, now).flatMap(row -> row instanceof Row.Live live
                ? links.list(id, live.session().createdAt()).map(found -> new Listing(Optional.empty(), found))
                : Uni.createFrom().item(new Listing(Optional.of(Decide.absence(row)), List.of())));
    }
}
