package com.redfour.shopping.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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

    /** Service-wide HTTP machinery knows nothing of sessions. */
    @Test
    void httpMachineryNeverImportsSessionCode() {
        noClasses().that().resideInAPackage("com.redfour.shopping.http..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.session..")
                .check(MAIN);
    }

    /** Store access rules know API keys and stores, not sessions. */
    @Test
    void authNeverImportsSessionCode() {
        noClasses().that().resideInAPackage("com.redfour.shopping.auth..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.session..")
                .check(MAIN);
    }

    /** The store answers with outcomes; HTTP is the API's business. */
    @Test
    void theStoreNeverImportsTheApiOrHttp() {
        noClasses().that().resideInAPackage("com.redfour.shopping.session.store..")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.session.api..",
                        "com.redfour.shopping.http..", "jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(MAIN);
    }

    /** The session store records events with every change, but knows nothing of who reads them. */
    @Test
    void theSessionStoreNeverImportsEventReaders() {
        noClasses().that().resideInAPackage("com.redfour.shopping.session.store..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.event..")
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
}
