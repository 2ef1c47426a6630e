package com.redfour.shopping.session.api;

import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.Lifetime;
import com.redfour.shopping.session.write.Sessions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** A member's open sessions in a store, most recently updated first. */
@Path("/v1/stores/{store}/members/{memberId}/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Tag(name = "Members", description = "Sessions of a signed-in member")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
public class MemberResource {

    /** At most this many sessions are listed (the most recently updated). */
    static final int LIMIT = 100;

    /** The response body: {@code {"sessions": [...]}}. */
    @RegisterForReflection
    @org.eclipse.microprofile.openapi.annotations.media.Schema(requiredProperties = "sessions")
    public record MemberSessions(List<SessionView> sessions) {
    }

    private final Sessions sessions;
    private final Lifetime lifetime;

    public MemberResource(Sessions sessions, Lifetime lifetime) {
        this.sessions = sessions;
        this.lifetime = lifetime;
    }

    @GET
    @Operation(summary = "A member's open sessions", description = "Open, unexpired sessions of the member in this store, most recently updated first (at most 100).")
    public Uni<MemberSessions> list(@PathParam("store") String store, @PathParam("memberId") String memberId,
            @Context UriInfo uri) {
        PathSegments.check(uri);
        return sessions.openSessionsOf(store, memberId, LIMIT).map(list -> new MemberSessions(
                list.stream().map(s -> SessionView.of(s, lifetime.expiresAt(s))).toList()));
    }
}
