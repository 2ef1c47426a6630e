package com.redfour.shopping.session.store;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;

import java.util.Optional;

/** Configuration of cart recovery links ({@code redfour.recovery.*}). */
@ConfigMapping(prefix = "redfour.recovery")
public interface RecoverySettings {

    /**
     * The storefront page a link opens ({@code REDFOUR_RECOVERY_URL}), with {@code {token}} where the
     * token goes, e.g. {@code https://shop.example/cart/recover/{token}}; without it a new link's
     * {@code url} is null. A template without {@code {token}} stops the service at start.
     */
    Optional<@Pattern(regexp = "^https?://.*\\{token\\}.*$", message = "must be an http(s) URL holding {token}") String> url();
}
