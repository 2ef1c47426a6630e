package com.redfour.shopping.session;

/** How the customer arrived: what the storefront knows when it first creates a session. */
public record Visit(String landing, String referrer, String ip, String memberId, String currency) {
}
