package com.redfour.shopping.dashboard;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The dashboard's address without its slash: {@code /dashboard} answers {@code 301} to {@code /dashboard/},
 * where the static page (META-INF/resources/dashboard) is served, so that its relative addresses hold.
 * Its security headers are configuration ({@code quarkus.http.filter.dashboard.*}).
 */
@Singleton
public class DashboardAddress {

    static final String PAGE = "/dashboard/";

    void install(@Observes Router router) {
        // A Vert.x route for /dashboard also matches /dashboard/: only the address without the slash moves.
        router.route("/dashboard").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            if (ctx.request().path().equals("/dashboard")) {
                ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, PAGE).end();
            } else {
                ctx.next();
            }
        });
    }
}
