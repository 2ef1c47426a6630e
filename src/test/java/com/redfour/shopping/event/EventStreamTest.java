package com.redfour.shopping.event;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static com.redfour.shopping.support.Api.KEY;
import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.createSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The live form of GET /events: Server-Sent Events, resumable with Last-Event-ID. */
@QuarkusTest
public class EventStreamTest {

    @TestHTTPResource("/v1/stores/demo/events")
    URI events;

    /** An open stream: every line it received, as it arrives. */
    static final class Stream implements AutoCloseable {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

        Stream(URI uri, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(r -> new Thread(() -> r.body().forEach(lines::add), "sse-reader").start());
        }

        /** The next line for which {@code wanted} holds, skipping others; fails after 10 s. */
        String next(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line != null && wanted.test(line)) {
                    return line;
                }
            }
            return fail("no such line within 10 s");
        }

        /** The next event: its id, type and data lines. */
        List<String> nextEvent() throws InterruptedException {
            List<String> event = new ArrayList<>();
            event.add(next(line -> line.startsWith("id:")));
            String line;
            while (!(line = next(l -> true)).isEmpty()) {
                event.add(line);
            }
            return event;
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    @Test
    void eventsArriveLiveAndAStreamResumesAfterTheLastEventItSaw() throws Exception {
        String key = createSession();
        URI mine = URI.create(events + "?session=" + key);
        String createdId;
        try (Stream stream = new Stream(mine, null)) {
            assertThat(stream.response.get(10, TimeUnit.SECONDS).headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            List<String> created = stream.nextEvent();
            assertThat(created.get(1)).isEqualTo("event:session.created");
            createdId = created.get(0).substring("id:".length()).trim();
            assertThat(created.get(2)).startsWith("data:{\"id\":\"" + createdId + "\",\"type\":\"session.created\"");

            add(key, "RKT-1", "19.99", 2); // written while the stream is open: arrives live
            List<String> selected = stream.nextEvent();
            assertThat(selected.get(1)).isEqualTo("event:item.selected");
            assertThat(selected.get(2)).contains("\"sku\":\"RKT-1\"", "\"version\":2");
        }
        try (Stream resumed = new Stream(mine, createdId)) {
            List<String> first = resumed.nextEvent();
            assertThat(first.get(1)).isEqualTo("event:item.selected");
        }
    }

    @Test
    void anIdleStreamGetsCommentLines() throws Exception {
        String key = createSession();
        try (Stream stream = new Stream(URI.create(events + "?session=" + key + "&types=session.closed"), null)) {
            // the test profile writes one a second (15 s in production)
            assertThat(stream.next(line -> line.startsWith(":"))).isEqualTo(":keep-alive");
        }
    }

    @Test
    void aBadParameterIsAProblemNotAStream() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(events + "?after=x"))
                .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/problems/invalid-request");
    }
}
