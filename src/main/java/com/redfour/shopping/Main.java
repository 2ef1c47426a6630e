package com.redfour.shopping;

import com.redfour.shopping.insight.store.InsightPurge;
import com.redfour.shopping.session.scan.CartScan;
import com.redfour.shopping.session.scan.SessionPurge;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

/**
 * The service's entry point. With no arguments it serves HTTP until stopped; with {@code purge} it
 * deletes expired sessions, old events and insights past their retention and exits (0 on success), so a CronJob can run the same image; with
 * {@code migrate} it brings the database schema up to date and exits (0 on success), so a Job can
 * migrate before pods that serve with {@code QUARKUS_FLYWAY_MIGRATE_AT_START=false} start.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(Main.class);

    private static final String MIGRATE = "migrate";
    private static final String PURGE = "purge";

    @Inject
    SessionPurge purge;

    @Inject
    InsightPurge insightPurge;

    /** Lets the abandoned/expired cart scan and the insights fold run: only a serving process does, not the commands. */
    @Inject
    CartScan.NotServing scanGate;

    /** Looked up only by {@code migrate}. */
    @Inject
    Instance<Flyway> flyway;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            scanGate.serving();
            Quarkus.waitForExit();
            return 0;
        }
        if (args.length == 1 && args[0].equals(PURGE)) {
            SessionPurge.Result result = purge.purge().await().indefinitely();
            LOG.infof("purge deleted %d expired sessions in %d batches and %d events past retention in %d batches",
                    result.deleted(), result.batches(), result.eventsDeleted(), result.eventBatches());
            long insights = insightPurge.purge().await().indefinitely();
            LOG.infof("purge deleted %d insights rows of days before %s", insights, insightPurge.firstKeptDay());
            return 0;
        }
        if (args.length == 1 && args[0].equals(MIGRATE)) {
            Flyway schema = flyway.get();
            MigrateResult result = schema.migrate();
            MigrationInfo current = schema.info().current();
            LOG.infof("migrate applied %d migrations; schema version %s", result.migrationsExecuted,
                    current == null ? "none" : current.getVersion());
            return 0;
        }
        LOG.errorf("unknown arguments; usage: (no arguments) to serve, 'purge' to delete expired sessions, "
                + "or 'migrate' to bring the database schema up to date");
        return 2;
    }
}
