package com.redfour.shopping;

import com.redfour.shopping.session.store.SessionPurge;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The service's entry point. With no arguments it serves HTTP until stopped; with {@code purge} it
 * deletes expired sessions and exits (0 on success), so a CronJob can run the same image.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(Main.class);

    @Inject
    SessionPurge purge;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        if (args.length == 1 && args[0].equals("purge")) {
            SessionPurge.Result result = purge.purge().await().indefinitely();
            LOG.infof("purge deleted %d expired sessions in %d batches", result.deleted(), result.batches());
            return 0;
        }
        LOG.errorf("unknown arguments; usage: (no arguments) to serve, or 'purge' to delete expired sessions");
        return 2;
    }
}
