package dev.safeops.flyway;

import static dev.safeops.Schema.columnsOf;
import static dev.safeops.flyway.FlywayFixture.history;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.SpringVersion;
import org.springframework.expression.ExpressionParser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestContext;
import org.springframework.transaction.TransactionManager;

/**
 * The documented Spring Boot wiring (examples/…/SafeOpsFlywayConfiguration) with Spring Boot's real
 * Flyway auto-configuration migrating at startup, each Spring Boot version with the Flyway it
 * manages, in a class loader of its own: Spring Boot 3.5.7 with Flyway 11.7.2 (Spring Boot 3.5 does
 * not run with Flyway 13, the test class path's), and Spring Boot 4.0.7 with Flyway 11.14.1.
 */
class SpringBootFlywayTest {

    @RegisterExtension
    static final TestDatabase boot3 = new TestDatabase();

    @RegisterExtension
    static final TestDatabase boot4 = new TestDatabase();

    @Test
    void springBoot35StartupRunsTheSqlMigrationsGuardedAndSkipsMissingModules() throws Exception {
        List<String> startup = start(boot3, springBoot35());

        assertThat(startup).first().asString().isEqualTo("started with Spring Boot 3.5.7 and Flyway 11.7.2");
        assertMigratedGuardedKeepingTheExistingCallback(boot3, startup);
    }

    @Test
    void springBoot40StartupRunsTheSqlMigrationsGuardedAndSkipsMissingModules() throws Exception {
        List<String> startup = start(boot4, IsolatedClassLoader.jars("spring-boot-4"));

        assertThat(startup).first().asString().isEqualTo("started with Spring Boot 4.0.7 and Flyway 11.14.1");
        assertMigratedGuardedKeepingTheExistingCallback(boot4, startup);
    }

    /** Both migrations succeeded with the core changes applied; safe-ops joined the callback already there. */
    private static void assertMigratedGuardedKeepingTheExistingCallback(TestDatabase db, List<String> startup)
            throws Exception {
        assertThat(history(db)).hasSize(2).allMatch(row -> row.endsWith(" true"));
        assertThat(columnsOf(db, "users")).contains("password");
        assertThat(columnsOf(db, "content")).contains("project_id");
        assertThat(startup).filteredOn(line -> line.startsWith("callback "))
                .containsExactlyInAnyOrder("callback recording", "callback ~safe-ops");
        assertThat(startup).contains("event BEFORE_MIGRATE", "event BEFORE_EACH_MIGRATE_STATEMENT", "event AFTER_MIGRATE");
    }

    /** Spring Boot 3.5 from the test class path, with the Flyway it manages from target/flyway-oldest. */
    private static List<Path> springBoot35() throws Exception {
        List<Path> jars = new ArrayList<>(IsolatedClassLoader.jars("flyway-oldest"));
        for (Class<?> type : List.of(SpringApplication.class, AutoConfigurations.class,
                ApplicationContextRunner.class, TestContext.class, ApplicationContext.class, SpringVersion.class,
                ProxyFactory.class, BeanFactory.class, ExpressionParser.class, JdbcTemplate.class,
                TransactionManager.class, Observation.class, KeyValue.class, LogFactory.class)) {
            jars.add(IsolatedClassLoader.jarOf(type));
        }
        return jars;
    }

    @SuppressWarnings("unchecked")
    private static List<String> start(TestDatabase db, List<Path> jars) throws Exception {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (IsolatedClassLoader loader = IsolatedClassLoader.of(jars)) {
            // Spring resolves application classes through the thread's context class loader
            Thread.currentThread().setContextClassLoader(loader);
            return (List<String>) loader.loadClass(SpringBootScenario.class.getName())
                    .getMethod("run", String.class, String.class, String.class)
                    .invoke(null, db.jdbcUrl(), db.user(), db.password());
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }
}
