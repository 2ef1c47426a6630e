package com.redfour.shopping.session;

/** How the customer arrived, fixed when the session is created: landing page, referrer, address, currency. */
public record Arrival(String landing, String referrer, String ip, String currency) {
}
