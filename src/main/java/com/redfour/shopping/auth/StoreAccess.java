package com.redfour.shopping.auth;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.ProblemType;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Store isolation, checked once for every request to a {@code /v1/stores/{store}/...} endpoint, before
 * the endpoint runs: a malformed store is a 400; an API key reaches only its own store, and another
 * store's path is answered exactly as an absent session is (404), so nothing about the other store
 * leaks. A request without a valid key is left to authentication (401).
 */
@Singleton
public class StoreAccess {

    /** The detail of every 404 for a session, so that another store's session reads as an absent one. */
    public static final String NOT_FOUND = "no such session";

    /** On a resource whose 404 names something other than a session: another store's path reads as that absent. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface AbsentAs {
        /** The 404's detail. */
        String value();
    }

    /** What a well-formed store id is (the session model's rule; auth knows stores, not sessions). */
    public interface StoreIds {
        boolean isWellFormed(String store);
    }

    private final StoreIds stores;
    private final IdentityProviderManager identities;

    StoreAccess(StoreIds stores, IdentityProviderManager identities) {
        this.stores = stores;
        this.identities = identities;
    }

    /** Passes a request whose key belongs to its {@code {store}}, and one that has no {@code {store}} at all. */
    @ServerRequestFilter
    public Uni<Void> checkStore(UriInfo uri, ResourceInfo resource, RoutingContext http) {
        String store = uri.getPathParameters().getFirst("store");
        if (store == null) {
            return Uni.createFrom().voidItem();
        }
        return QuarkusHttpUser.getSecurityIdentity(http, identities).invoke(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return; // @Authenticated answers 401
            }
            if (!stores.isWellFormed(store)) {
                throw ApiProblem.invalidRequest("store must be a lower-case store id or domain");
            }
            if (!belongsTo(identity, store)) {
                AbsentAs absent = resource.getResourceClass().getAnnotation(AbsentAs.class);
                throw new ApiProblem(ProblemType.NOT_FOUND, absent == null ? NOT_FOUND : absent.value(), null);
            }
        }).replaceWithVoid();
    }

    private static boolean belongsTo(SecurityIdentity identity, String store) {
        return identity.getPrincipal().getName().equals(store);
    }
}
