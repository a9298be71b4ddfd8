package dev.safeops.flyway;

import dev.safeops.examples.flyway.SafeOpsFlywayConfiguration;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application started by Spring Boot's real Flyway auto-configuration with the documented
 * wiring ({@link SafeOpsFlywayConfiguration}) and a callback it already had, told as lines of text
 * so that it can run in a class loader holding a Spring Boot version and the Flyway it manages.
 *
 * <p>Spring Boot 3.5 takes the example's configuration class as it is. Spring Boot 4.0 moved
 * {@code FlywayConfigurationCustomizer} to another package, which this build compiles against
 * Spring Boot 3.5 cannot name: there the same customizing method of the example is registered
 * through Spring Boot 4.0's interface, loaded at run time.
 */
public final class SpringBootScenario {

    private static final String BOOT_4_AUTO_CONFIGURATION =
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";
    private static final String BOOT_4_CUSTOMIZER =
            "org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer";

    /** The events the application's own callback saw. */
    static final List<Event> EVENTS = new ArrayList<>();

    private SpringBootScenario() {
    }

    /**
     * A callback the application already had, which adding safe-ops must keep. A proxy of the
     * Flyway interface loaded at run time: a class compiled here against Flyway 13 would carry
     * bridge methods naming Flyway 13's CallbackEvent, which Spring's reflection cannot resolve on
     * Flyway 11, whereas a user's callback is compiled against the user's own Flyway.
     */
    @Configuration(proxyBeanMethods = false)
    public static class ExistingCallback {
        @Bean
        Callback recordingCallback() {
            return implement(Callback.class, "recording", (method, arguments) -> switch (method) {
                case "supports", "canHandleInTransaction" -> true;
                case "getCallbackName" -> "recording";
                case "handle" -> EVENTS.add((Event) arguments[0]) ? null : null;
                default -> throw new UnsupportedOperationException(method);
            });
        }
    }

    /**
     * Starts the application on the database, with the examples' core and SQL migrations, and
     * returns whether it started (and on which Spring Boot and Flyway), the callbacks Flyway was
     * configured with and the events the existing callback saw.
     */
    public static List<String> run(String url, String user, String password) throws ClassNotFoundException {
        ApplicationContextRunner application = new ApplicationContextRunner()
                .withUserConfiguration(ExistingCallback.class)
                .withPropertyValues(
                        "spring.flyway.url=" + url,
                        "spring.flyway.user=" + user,
                        "spring.flyway.password=" + (password == null ? "" : password),
                        "spring.flyway.locations=classpath:dev/safeops/examples/flyway/core,"
                                + "classpath:dev/safeops/examples/flyway/sql");
        ClassLoader loader = SpringBootScenario.class.getClassLoader();
        if (isPresent(BOOT_4_AUTO_CONFIGURATION, loader)) {
            @SuppressWarnings("unchecked")
            Class<Object> customizer = (Class<Object>) Class.forName(BOOT_4_CUSTOMIZER, false, loader);
            application = application
                    .withConfiguration(AutoConfigurations.of(Class.forName(BOOT_4_AUTO_CONFIGURATION, false, loader)))
                    .withBean(customizer, () -> implement(customizer, "safeOpsCallback", (method, arguments) -> {
                        SafeOpsFlywayConfiguration.addSafeOps((FluentConfiguration) arguments[0]);
                        return null;
                    }));
        } else {
            application = application
                    .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                    .withUserConfiguration(SafeOpsFlywayConfiguration.class);
        }
        List<String> lines = new ArrayList<>();
        application.run(context -> {
            if (context.getStartupFailure() != null) {
                StringBuilder failure = new StringBuilder("failed:");
                for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
                    failure.append(' ').append(cause);
                }
                lines.add(failure.toString());
                return;
            }
            lines.add("started with Spring Boot " + org.springframework.boot.SpringBootVersion.getVersion()
                    + " and Flyway " + FlywayRequirement.version(Flyway.class.getClassLoader()));
            for (Callback callback : context.getBean(Flyway.class).getConfiguration().getCallbacks()) {
                lines.add("callback " + callback.getCallbackName());
            }
            for (Event event : EVENTS) {
                lines.add("event " + event.name());
            }
        });
        return lines;
    }

    /** An implementation of {@code type} whose methods other than Object's go to {@code methods}. */
    private static <T> T implement(Class<T> type, String name, BiFunction<String, Object[], Object> methods) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> methods.apply(method.getName(), arguments);
                }));
    }

    private static boolean isPresent(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
