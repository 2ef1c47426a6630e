package com.redfour.shopping.http;

/**
 * The service cannot answer this request now, through no fault of the request: answered
 * {@code 503 /problems/unavailable} with {@code Retry-After}, so the client tries again.
 */
public class Unavailable extends RuntimeException {

    public Unavailable(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }
}
