package dev.safeops.flyway;

import static dev.safeops.Schema.columnsOf;
import static dev.safeops.flyway.FlywayFixture.history;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.SpringVersion;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.expression.ExpressionParser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionManager;
import io.micrometer.observation.Observation;
import io.micrometer.common.KeyValue;
import org.apache.commons.logging.LogFactory;

/**
 * The documented Spring Boot wiring (examples/…/SafeOpsFlywayConfiguration) with Spring Boot 3.5's
 * real Flyway auto-configuration migrating at startup, on the Flyway that Spring Boot 3.5 manages
 * (11.7.2, in a class loader of its own: Spring Boot 3.5 does not run with Flyway 13).
 */
class SpringBootFlywayTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    static List<String> startup;

    @BeforeAll
    static void startTheApplication() throws Exception {
        List<Path> jars = new ArrayList<>(IsolatedClassLoader.jars("flyway-oldest"));
        for (Class<?> type : List.of(SpringApplication.class, AutoConfigurations.class,
                ApplicationContextRunner.class, ApplicationContext.class, SpringVersion.class, ProxyFactory.class,
                BeanFactory.class, ExpressionParser.class, JdbcTemplate.class, TransactionManager.class,
                Observation.class, KeyValue.class, LogFactory.class)) {
            jars.add(IsolatedClassLoader.jarOf(type));
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (IsolatedClassLoader loader = IsolatedClassLoader.of(jars)) {
            // Spring resolves application classes through the thread's context class loader
            Thread.currentThread().setContextClassLoader(loader);
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) loader.loadClass(SpringBootScenario.class.getName())
                    .getMethod("run", String.class, String.class, String.class)
                    .invoke(null, db.jdbcUrl(), db.user(), db.password());
            startup = lines;
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }

    @Test
    void startupRunsTheSqlMigrationsGuardedAndSkipsMissingModules() throws Exception {
        assertThat(startup).first().asString().isEqualTo("started with Flyway 11.7.2");
        assertThat(history(db)).hasSize(2).allMatch(row -> row.endsWith(" true"));
        assertThat(columnsOf(db, "users")).contains("password");
        assertThat(columnsOf(db, "content")).contains("project_id");
    }

    @Test
    void customizerAddsSafeOpsAndKeepsTheCallbacksAlreadyConfigured() {
        assertThat(startup).filteredOn(line -> line.startsWith("callback "))
                .containsExactlyInAnyOrder("callback recording", "callback ~safe-ops");
        assertThat(startup).contains("event BEFORE_MIGRATE", "event BEFORE_EACH_MIGRATE_STATEMENT",
                "event AFTER_MIGRATE");
    }
}
