package com.redfour.shopping.architecture;

import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.db.StoreUnavailable;
import com.redfour.shopping.db.Unavailability;
import com.redfour.shopping.http.RequestDeadline;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.store.SessionTable;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rooms of the code and which may import which (README, "Where the code lives"). A change that
 * breaks one of these rules fails the build, naming the offending import.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.redfour.shopping");

    /** The session model (the rules of a session) is plain Java: no framework, no I/O. */
    @Test
    void theDomainImportsOnlyTheJdk() {
        classes().that().resideInAPackage("com.redfour.shopping.session")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.redfour.shopping.session")
                .check(MAIN);
    }

    /** Service-wide HTTP machinery knows nothing of sessions or events. */
    @Test
    void httpMachineryNeverImportsSessionOrEventCode() {
        noClasses().that().resideInAPackage("com.redfour.shopping.http..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.session..",
                        "com.redfour.shopping.event..")
                .check(MAIN);
    }

    /** Store access rules know API keys and stores, not sessions. */
    @Test
    void authNeverImportsSessionCode() {
        noClasses().that().resideInAPackage("com.redfour.shopping.auth..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.session..")
                .check(MAIN);
    }

    /**
     * Database plumbing serves every store (sessions, their scans, events, webhooks) and knows none of
     * them, nor HTTP: the HTTP edge maps its {@code StoreUnavailable}.
     */
    @Test
    void databasePlumbingImportsNoOtherRoom() {
        noClasses().that().resideInAPackage("com.redfour.shopping.db..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.session..",
                        "com.redfour.shopping.event..", "com.redfour.shopping.http..", "com.redfour.shopping.auth..",
                        "jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(MAIN);
    }

    /** A database failure is answered once, at the HTTP edge: nothing between the guard and the edge handles it. */
    @Test
    void onlyTheHttpEdgeAnswersAnUnavailableDatabase() {
        noClasses().that().resideOutsideOfPackages("com.redfour.shopping.db", "com.redfour.shopping.http")
                .should().dependOnClassesThat().areAssignableTo(StoreUnavailable.class)
                .check(MAIN);
    }

    /** The pipeline, the table and the scans answer with values; HTTP is the API's business. */
    @Test
    void sessionsBelowTheApiNeverImportTheApiOrHttp() {
        noClasses().that().resideInAnyPackage("com.redfour.shopping.session.write..",
                        "com.redfour.shopping.session.store..", "com.redfour.shopping.session.scan..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.session.api..",
                        "com.redfour.shopping.http..", "jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(MAIN);
    }

    /** The table and its codecs know nothing of who writes or scans them. */
    @Test
    void theTableNeverImportsThePipelineOrTheScans() {
        noClasses().that().resideInAPackage("com.redfour.shopping.session.store..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.session.write..",
                        "com.redfour.shopping.session.scan..")
                .check(MAIN);
    }

    /** The scans are SQL of their own beside the pipeline, not its clients. */
    @Test
    void theScansNeverImportThePipeline() {
        noClasses().that().resideInAPackage("com.redfour.shopping.session.scan..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.session.write..")
                .check(MAIN);
    }

    /** A session row is written by the one pipeline; only the purge deletes expired ones. */
    @Test
    void onlyThePipelineSavesAndOnlyThePurgeDeletes() {
        methods().that().areDeclaredIn(SessionTable.class).and().haveName("save")
                .should().onlyBeCalled().byClassesThat().resideInAPackage("com.redfour.shopping.session.write")
                .check(MAIN);
        methods().that().areDeclaredIn(SessionTable.class).and().haveName("purgeExpired")
                .should().onlyBeCalled().byClassesThat().resideInAPackage("com.redfour.shopping.session.scan")
                .check(MAIN);
    }

    /** Sessions record events with every change, but know nothing of who reads them. */
    @Test
    void sessionCodeNeverImportsEventCode() {
        noClasses().that().resideInAPackage("com.redfour.shopping.session..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.event..")
                .check(MAIN);
    }

    /**
     * Event code reads the outbox with SQL of its own and hears of new events by {@code EventsCommitted}:
     * it never goes through the session API (nor its problem mapping), the pipeline or the scans.
     */
    @Test
    void eventCodeNeverImportsTheSessionApiPipelineOrScans() {
        noClasses().that().resideInAPackage("com.redfour.shopping.event..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.session.api..",
                        "com.redfour.shopping.session.write..", "com.redfour.shopping.session.scan..")
                .check(MAIN);
    }

    /** Reading events is storage work: HTTP is the event API's business. */
    @Test
    void theEventStoreNeverImportsTheApiOrHttp() {
        noClasses().that().resideInAPackage("com.redfour.shopping.event.store..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.event.api..",
                        "com.redfour.shopping.http..", "jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(MAIN);
    }

    /** No two packages import each other, directly or round about. */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("com.redfour.shopping.(**)").should().beFreeOfCycles().check(MAIN);
    }

    /**
     * Request bodies are checked by {@code ValidBody}, not by {@code @Valid} on a resource method: a
     * constrained resource method makes Hibernate Validator read the whole resource class, every
     * OpenAPI annotation with it, at start-up (docs/performance.md, "Cold start").
     */
    @Test
    void resourcesDoNotAskForMethodValidation() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("jakarta.validation.Valid")
                .check(MAIN);
    }

    /**
     * Endpoints only map: store access is checked once for every {@code /v1/stores/{store}} request
     * ({@code StoreAccess}, a request filter), the request deadline bounds every endpoint of a
     * {@code @WithDeadline} resource, and the database guard wraps every method of a {@code @Guarded}
     * facade. No resource does any of the three itself, and every resource is bounded.
     */
    @Test
    void resourcesNeitherCheckStoreAccessNorBoundNorGuardThemselves() {
        noClasses().that().areAnnotatedWith(Path.class)
                .should().dependOnClassesThat().areAssignableTo(StoreAccess.class)
                .orShould().dependOnClassesThat().areAssignableTo(RequestDeadline.class)
                .orShould().dependOnClassesThat().areAssignableTo(Unavailability.class)
                .check(MAIN);
        classes().that().areAnnotatedWith(Path.class).should().beAnnotatedWith(WithDeadline.class).check(MAIN);
    }

    /**
     * A refusal is a value the session API maps to its problem in one place ({@code Answers}): the API
     * defines no exception to carry one, and maps none back.
     */
    @Test
    void theSessionApiCarriesRefusalsAsValues() {
        noClasses().that().resideInAPackage("com.redfour.shopping.session.api..")
                .should().beAssignableTo(Throwable.class)
                .check(MAIN);
        noMethods().that().areDeclaredInClassesThat().resideInAPackage("com.redfour.shopping.session.api..")
                .should().beAnnotatedWith(ServerExceptionMapper.class)
                .check(MAIN);
    }
}
