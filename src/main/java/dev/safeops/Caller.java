package dev.safeops;

import java.security.CodeSource;
import java.util.Objects;

/**
 * The source line that called into safe-ops: the first stack frame that is neither safe-ops' own
 * code nor the JDK's (reflection, proxies). It is what {@link SafeOps#execute} and the typed
 * operations report as their location, so that a failure points at the migration that asked for
 * the statement, e.g. {@code V7__optional_modules.java:23}.
 */
final class Caller {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final CodeSource OWN_CODE = Caller.class.getProtectionDomain().getCodeSource();

    private Caller() {
    }

    static Location location() {
        return WALKER.walk(frames -> frames.filter(frame -> !isInternal(frame.getDeclaringClass())).findFirst())
                .map(frame -> new Location(frame.getFileName() != null ? frame.getFileName()
                        : frame.getDeclaringClass().getName(), Math.max(1, frame.getLineNumber())))
                .orElse(new Location("<unknown caller>", 1));
    }

    private static boolean isInternal(Class<?> type) {
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.proxy.")) {
            return true;
        }
        // Only safe-ops' own classes count as safe-ops: tests and users may share its package names.
        return name.startsWith("dev.safeops.")
                && Objects.equals(type.getProtectionDomain().getCodeSource(), OWN_CODE);
    }
}
